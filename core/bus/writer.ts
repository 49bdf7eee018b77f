// Atomic envelope writer: builds the envelope (uuid, timestamps, per-topic TTL), writes a temporary file, renames it.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { OttoError } from "../errors";
import { writeFileAtomic, writeFileAtomicAsync } from "../fs/atomic-write";
import { type Envelope, ttlForTopic } from "./envelope";

/** What a caller supplies; the writer fills in the id, the times and the default recipient. */
export interface EnvelopeDraft<P = unknown> {
  topic: string;
  payload: P;
  from: string;
  to?: string;
  /** Overrides the topic's default time-to-live. */
  ttlMs?: number;
}

/** Builds a complete envelope without touching the disk. */
export function buildEnvelope<P>(draft: EnvelopeDraft<P>, now: Date = new Date()): Envelope<P> {
  const ttl = draft.ttlMs ?? ttlForTopic(draft.topic);
  return {
    id: randomUUID(),
    topic: draft.topic,
    payload: draft.payload,
    from: draft.from,
    to: draft.to ?? "*",
    timestamp: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttl).toISOString(),
  };
}

/**
 * Writes an envelope so that readers never see it half-written: a dot-prefixed temporary name (which
 * readers skip) renamed onto `<id>.json`. Creates the bus directory (mode 0700) when it is missing.
 */
export function writeEnvelope(busDir: string, envelope: Envelope): string {
  const finalPath = join(busDir, `${envelope.id}.json`);
  try {
    writeFileAtomic(finalPath, `${JSON.stringify(envelope)}\n`);
  } catch (error) {
    throw busWriteError(busDir, error);
  }
  return finalPath;
}

/** Says what is wrong with the bus directory and what to do, instead of naming a temporary file or `mkdir`. */
export function busWriteError(busDir: string, error: unknown): OttoError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const elsewhere = "or pass --bus-dir (or set $ZETA_BUS_DIR) to another directory";
  const [message, hint] =
    code === "EEXIST" || code === "ENOTDIR"
      ? [`the bus directory ${busDir} is not a directory (a file is in the way)`, `move that file away ${elsewhere}`]
      : code === "EACCES" || code === "EPERM"
        ? [`cannot write to the bus directory ${busDir}: permission denied`, `make it writable by you (it should be yours, mode 0700) ${elsewhere}`]
        : code === "EROFS"
          ? [`cannot write to the bus directory ${busDir}: the file system is read-only`, elsewhere.replace(/^or /, "")]
          : code === "ENOSPC" || code === "EDQUOT"
            ? [`cannot write to the bus directory ${busDir}: no space left`, "free some disk space"]
            : [`cannot write to the bus directory ${busDir}: ${code ?? (error as Error)?.message ?? String(error)}`, `check the directory ${elsewhere}`];
  // Keep the errno code: callers that retry (the detector) report it.
  return Object.assign(new OttoError(message, { hint, cause: error }), { code });
}

/** Builds and writes in one step; returns the envelope as written. */
export function publish<P>(busDir: string, draft: EnvelopeDraft<P>, now: Date = new Date()): Envelope<P> {
  const envelope = buildEnvelope(draft, now);
  writeEnvelope(busDir, envelope);
  return envelope;
}

/** {@link publish} with the file-system calls off the main thread (see writeFileAtomicAsync). */
export async function publishAsync<P>(busDir: string, draft: EnvelopeDraft<P>, now: Date = new Date()): Promise<Envelope<P>> {
  const envelope = buildEnvelope(draft, now);
  try {
    await writeFileAtomicAsync(join(busDir, `${envelope.id}.json`), `${JSON.stringify(envelope)}\n`);
  } catch (error) {
    throw busWriteError(busDir, error);
  }
  return envelope;
}
