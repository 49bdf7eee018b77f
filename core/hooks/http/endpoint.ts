// The HTTP door onto the hook handler: POST /hook?surface=ID on a fixed loopback port, bounded in body, time and requests in flight.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { boundsMeter } from "../../diagnostics/bounds-meter";
import { describeError } from "../../errors";
import { isSurfaceId } from "../../ids";
import type { Prefs } from "../../prefs/schema";
import { handleHookEvent } from "../handler";
import type { HookLogRecord } from "../log";
import { HOOK_HEALTH_PATH, HOOK_PATH, HOOK_TOKEN_HEADER } from "./hook-url";
import { tokenMatches } from "./token";

/** The same cap as the command door's stdin: a larger event is cut and its top-level fields recovered from the head. */
export const HOOK_BODY_MAX_BYTES = 1024 * 1024;
/** Past the cap a body is still drained (and cut) up to this; a sender going on past it is refused with 413. */
export const HOOK_BODY_DRAIN_MAX_BYTES = 16 * HOOK_BODY_MAX_BYTES;
/** The whole request (headers and body) must arrive within this; Claude Code sends it in one go. */
export const HOOK_REQUEST_TIMEOUT_MS = 5000;
/** An event other than a PermissionRequest is answered by then whatever the handler is doing (the command door's deadline). */
export const HOOK_ANSWER_DEADLINE_MS = 2000;
/** Requests handled at once; past it the endpoint answers 503 at once rather than queue (each PermissionRequest may wait minutes). */
export const HOOK_MAX_IN_FLIGHT = 64;

/** What the owner gives the endpoint at each event: read fresh, so preference changes count at once. */
export interface HookEndpointContext {
  homeDir: string;
  busDir: string;
  prefs: Prefs | undefined;
  prefsProblem?: string | undefined;
}

export interface HookEndpointOptions {
  port: number;
  token: string;
  context: () => HookEndpointContext;
  /** Claude Code's pid for a session id, from its session registry (HTTP hooks carry no pid); undefined when unknown. */
  pidOfSession?: (sessionId: string) => number | undefined;
  /** Told after an event was handled, so the owner can evaluate at once rather than at the bus watcher's next wake. */
  onHandled?: () => void;
  log: (record: HookLogRecord) => void;
  /** Who owns it, for /hook/health ("app", "serve"). */
  owner: string;
}

export interface HookEndpoint {
  port: number;
  close(): Promise<void>;
}

/** The port is taken: by another Otto Tray (its pid and kind from /hook/health) or by something else. */
export class HookPortTakenError extends Error {}

/** The event's session id; from the head of a body cut at the cap, as the handler salvages its other fields. */
function send(response: ServerResponse, status: number, body: string): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** A body (chunked, so with no declared length) that went on past what is drained. */
class BodyTooLargeError extends Error {}

/** Reads at most `max` bytes of the body; the rest is drained up to `drainMax` and the result marked truncated. */
function readBody(request: IncomingMessage, max: number, drainMax: number): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let total = 0;
    let truncated = false;
    request.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > drainMax) {
        request.pause();
        reject(new BodyTooLargeError(`body over ${drainMax} bytes`));
        return;
      }
      if (size >= max) {
        truncated = true;
        return;
      }
      const room = max - size;
      if (chunk.length > room) truncated = true;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      size += kept.length;
    });
    request.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), truncated }));
    request.on("error", reject);
  });
}

/**
 * Starts the endpoint on 127.0.0.1:`port`. Throws HookPortTakenError when another process holds the port: the first
 * binder owns it, and the caller says who does.
 */
export async function startHookEndpoint(options: HookEndpointOptions): Promise<HookEndpoint> {
  let inFlight = 0;
  const server: Server = createServer((request, response) => {
    void serve(request, response);
  });
  server.requestTimeout = HOOK_REQUEST_TIMEOUT_MS;
  server.headersTimeout = HOOK_REQUEST_TIMEOUT_MS;
  // A PermissionRequest's answer may take minutes; only the request itself is bounded above.
  server.timeout = 0;
  server.maxHeadersCount = 64;

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === HOOK_HEALTH_PATH && request.method === "GET") {
      send(response, 200, JSON.stringify({ service: "otto-tray-hook-endpoint", owner: options.owner, pid: process.pid }));
      return;
    }
    if (url.pathname !== HOOK_PATH) return send(response, 404, JSON.stringify({ error: "not found" }));
    if (request.method !== "POST") {
      response.setHeader("allow", "POST");
      return send(response, 405, JSON.stringify({ error: "POST only" }));
    }
    const presented = request.headers[HOOK_TOKEN_HEADER.toLowerCase()];
    if (!tokenMatches(typeof presented === "string" ? presented : undefined, options.token)) {
      return send(response, 401, JSON.stringify({ error: `missing or wrong ${HOOK_TOKEN_HEADER}; run otto-tray hooks install --transport http --surface ID again` }));
    }
    const surface = url.searchParams.get("surface");
    if (!isSurfaceId(surface)) return send(response, 400, JSON.stringify({ error: `surface ${JSON.stringify(surface)} is not a valid surface id` }));
    // Up to the drain bound is read and cut (as the command door cuts stdin); a sender declaring more is refused.
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > HOOK_BODY_DRAIN_MAX_BYTES) return send(response, 413, JSON.stringify({ error: `body over ${HOOK_BODY_DRAIN_MAX_BYTES} bytes` }));
    if (inFlight >= HOOK_MAX_IN_FLIGHT) {
      boundsMeter.limitedOnce("hookEndpoint.inFlight", HOOK_MAX_IN_FLIGHT);
      return send(response, 503, JSON.stringify({ error: `${HOOK_MAX_IN_FLIGHT} hook events already in flight` }));
    }
    inFlight += 1;
    boundsMeter.observe("hookEndpoint.inFlight", inFlight, HOOK_MAX_IN_FLIGHT);
    try {
      await answer(request, response, surface);
    } catch (error) {
      options.log({ level: "error", message: `hook endpoint: ${describeError(error)}`, surface });
      if (error instanceof BodyTooLargeError) {
        // Chunked past the drain bound: refused, and the connection closed so the rest is not read.
        response.setHeader("connection", "close");
        send(response, 413, JSON.stringify({ error: error.message }));
        request.destroy();
      } else send(response, 200, "");
    } finally {
      inFlight -= 1;
    }
  }

  async function answer(request: IncomingMessage, response: ServerResponse, surface: string): Promise<void> {
    const body = await readBody(request, HOOK_BODY_MAX_BYTES, HOOK_BODY_DRAIN_MAX_BYTES);
    const context = options.context();
    // Claude Code closes the request when the person answers the dialog (Esc): the wait ends at once, as on SIGTERM.
    const controller = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    let stage = "handling the event";
    let deadline: NodeJS.Timeout | undefined = setTimeout(() => {
      options.log({ level: "error", message: `deadline: the handler did not answer within ${HOOK_ANSWER_DEADLINE_MS} ms (stuck ${stage}); answered nothing`, surface, code: "EDEADLINE" });
      send(response, 200, "");
    }, HOOK_ANSWER_DEADLINE_MS);
    const result = await handleHookEvent({
      text: body.text,
      truncated: body.truncated,
      surface,
      // Found from the session id the handler parses (a cut body's head too), so the body is parsed once.
      pid: (sessionId) => (sessionId === undefined ? undefined : options.pidOfSession?.(sessionId)),
      homeDir: context.homeDir,
      busDir: context.busDir,
      prefs: context.prefs,
      prefsProblem: context.prefsProblem,
      signal: controller.signal,
      log: options.log,
      onStage: (now) => (stage = now),
      onLongWait: (seconds) => {
        clearTimeout(deadline);
        deadline = setTimeout(() => send(response, 200, ""), (seconds + 5) * 1000);
      },
    });
    clearTimeout(deadline);
    deadline = undefined;
    send(response, 200, result.output);
    options.onHandled?.();
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(error.code === "EADDRINUSE" ? new HookPortTakenError(`127.0.0.1:${options.port} is in use`) : error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    // exclusive: a second Otto Tray in a cluster-like setup must not share the port; the first binder owns it.
    server.listen({ port: options.port, host: "127.0.0.1", exclusive: true });
  });
  server.on("error", (error) => options.log({ level: "error", message: `hook endpoint: ${describeError(error)}` }));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
