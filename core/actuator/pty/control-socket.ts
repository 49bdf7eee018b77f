// The hosted session's control socket: newline-delimited JSON requests, owner-only. It reads the screen and asks
// for a confirmed plan to be carried out; there is no request that types raw keys.
import { chmodSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";

export type ControlRequest = { op: "screen" } | { op: "act"; planId: string };

/** Starts the server; a stale socket file from a dead host is replaced, a live one is an error. */
export async function serveControl(path: string, handle: (request: ControlRequest) => Promise<unknown>): Promise<Server> {
  if (await isListening(path)) throw new Error(`another session already listens on ${path}`);
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => undefined);
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 65_536) {
        socket.destroy();
        return;
      }
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        void answer(line).then((reply) => socket.write(`${JSON.stringify(reply)}\n`));
      }
    });
  });
  const answer = async (line: string): Promise<unknown> => {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return { ok: false, error: "not JSON" };
    }
    const r = request as Partial<{ op: unknown; planId: unknown }>;
    if (r?.op === "screen") return handle({ op: "screen" });
    if (r?.op === "act" && typeof r.planId === "string") return handle({ op: "act", planId: r.planId });
    return { ok: false, error: "unknown request" };
  };
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The longest reply taken from a session: a screen's reading is a few KiB; more is no reply of a host of ours. */
export const MAX_CONTROL_REPLY_BYTES = 4 * 1024 * 1024;

/** Sends one request and waits for its reply (bounded in time and in size). */
export function requestControl(path: string, request: ControlRequest, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the session did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline < 0) {
        if (buffer.length <= MAX_CONTROL_REPLY_BYTES) return;
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`the session's reply on ${path} is longer than ${MAX_CONTROL_REPLY_BYTES} characters`));
        return;
      }
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffer.slice(0, newline)) as unknown);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
