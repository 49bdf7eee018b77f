// Turns the bytes of one bus file into an envelope or a reason it was rejected (pure; no file access).
import type { Envelope, HeartbeatPayload } from "./envelope";
import { envelopeSchema, heartbeatPayloadSchema } from "./schema";

export type ParseResult =
  | { ok: true; envelope: Envelope; heartbeat?: HeartbeatPayload }
  | { ok: false; reason: string; /** The text may be a write in progress: try again on the next change. */ retryable: boolean };

/** How far ahead of the reader's clock a timestamp may be (writers' clocks drift a little). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

const DANGEROUS_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Deeper payloads are hostile: they would overflow the stack of whoever serialises them later. */
export const MAX_JSON_DEPTH = 64;

/** Deepest nesting of objects and arrays in `text`, ignoring brackets inside strings (one pass, no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

// Only pay for the reviver when the text could carry a prototype-polluting key.
function parseJson(text: string): unknown {
  if (!/__proto__|constructor|prototype/.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (DANGEROUS_KEYS.has(key) ? undefined : value));
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join(".") || "envelope";
  return `${field} ${issue.message}`;
}

/**
 * Parses one file. `fileStem` is the name without `.json`; it must equal the envelope id, so one
 * file cannot shadow another message. `nowMs` rejects timestamps far in the future.
 */
export function parseEnvelopeText(text: string, fileStem: string, nowMs: number): ParseResult {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels`, retryable: false };
  }
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch {
    // A writer that writes in place can be caught mid-write: that looks like truncated JSON.
    return { ok: false, reason: "not valid JSON (truncated or garbage)", retryable: true };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, reason: "not a JSON object", retryable: false };
  }
  const result = envelopeSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    return { ok: false, reason: first ? describeIssue(first) : "invalid envelope", retryable: false };
  }
  const envelope = result.data as Envelope;
  if (envelope.id.toLowerCase() !== fileStem.toLowerCase()) {
    return { ok: false, reason: `file name does not match id ${envelope.id}`, retryable: false };
  }
  if (Date.parse(envelope.timestamp) > nowMs + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `timestamp ${envelope.timestamp} is in the future`, retryable: false };
  }
  if (envelope.topic !== "heartbeat") return { ok: true, envelope };
  const heartbeat = heartbeatPayloadSchema.safeParse(envelope.payload);
  if (!heartbeat.success) {
    const first = heartbeat.error.issues[0];
    return { ok: false, reason: `heartbeat payload: ${first ? describeIssue(first) : "invalid"}`, retryable: false };
  }
  return { ok: true, envelope, heartbeat: heartbeat.data as HeartbeatPayload };
}
