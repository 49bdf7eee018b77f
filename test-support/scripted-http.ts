// What the scripted model servers (Anthropic, Responses, Gemini) share: a loopback HTTP server that reads each body
// whole before handling it, replies delayed on request (dropped if the client goes first), and a close that ends all.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedHttp {
  port: number;
  /** Answers after `delayMs` (at once for 0) unless the client went away first; then `seen.answered` becomes "aborted". */
  answer(res: ServerResponse, delayMs: number | undefined, seen: { answered: string }, reply: () => void): void;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port) and calls `handle` with each request's whole body. */
export async function startScriptedHttp(handle: (req: IncomingMessage, res: ServerResponse, raw: string) => void): Promise<ScriptedHttp> {
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => handle(req, res, raw));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    answer: (res, delayMs, seen, reply) => {
      if (!delayMs) return reply();
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!res.destroyed) reply();
      }, delayMs);
      pending.add(timer);
      res.on("close", () => {
        if (!res.writableEnded) {
          clearTimeout(timer);
          pending.delete(timer);
          seen.answered = "aborted";
        }
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
