// The dashboard's snapshot stream in a browser: fetch with the token header, SSE read by hand, reconnect with backoff.
import type { AppSnapshot } from "../../core/api";
import { authHeaders } from "./dashboard-token";
import { SseParser } from "./sse-frames";

/** What the page tells the person about its connection: null while connected and current. */
export type ConnectionProblem = string | null;

/** The first wait before reconnecting, and the longest: doubled on each failure, back to the first after a success. */
const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 15_000;

export const TOKEN_REFUSED =
  "This page has no valid token for otto-tray serve (it was opened without one, or serve was restarted): open the URL otto-tray serve printed (http://127.0.0.1:PORT/#token=…).";
const LOST = "Lost the connection to otto-tray serve: trying again. What you see may be old.";

/**
 * Reads `api/events` until stopped. A 401 ends it for good (a new token only comes with the printed URL); any other
 * failure or end is retried after a wait that grows to LONGEST_RETRY_MS. Returns the stop.
 */
export function streamSnapshots(onSnapshot: (snapshot: AppSnapshot) => void, onConnection: (problem: ConnectionProblem) => void): () => void {
  const abort = new AbortController();
  let retryMs = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const readOnce = async (): Promise<"refused" | "ended"> => {
    const response = await fetch("api/events", { headers: authHeaders(), cache: "no-store", signal: abort.signal });
    if (response.status === 401) return "refused";
    if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "ended";
      for (const event of parser.feed(value)) {
        if (event.event === "snapshot") {
          retryMs = FIRST_RETRY_MS;
          onSnapshot(JSON.parse(event.data) as AppSnapshot);
          onConnection(null);
        } else if (event.event === "problem") {
          onConnection((JSON.parse(event.data) as { error?: string }).error ?? "otto-tray serve reported a problem with this view");
        }
      }
    }
  };

  const connect = (): void => {
    readOnce().then(
      (outcome) => (outcome === "refused" ? onConnection(TOKEN_REFUSED) : retry()),
      () => retry(),
    );
  };
  const retry = (): void => {
    if (abort.signal.aborted) return;
    onConnection(LOST);
    timer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
  };

  connect();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
