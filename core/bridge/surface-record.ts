// What one surface looks like on the bridge's KV bucket (`<host>.<surface>`): by default only its state, ages and what
// kind of prompt it waits on; command texts and notes only when the person shares details. Read back with a schema.
import { z } from "zod";
import { AGENTS } from "../agents";
import { SURFACE_ID_PATTERN } from "../ids";
import type { SurfaceSnapshot } from "../snapshot";
import { SURFACE_STATES } from "../surfaces/types";

const id = z.string().regex(SURFACE_ID_PATTERN);
const isoTime = z.iso.datetime();
const line = (max: number) => z.string().max(max);

/** A record as another machine wrote it: unknown fields (a newer version's) are dropped, wrong ones refuse the record. */
export const surfaceRecordSchema = z.object({
  v: z.literal(1),
  host: id,
  surface: id,
  /** The agent that runs there (an older machine's record says none: Claude Code). */
  agent: z.enum(AGENTS).default("claude-code"),
  state: z.enum(SURFACE_STATES),
  lastHeartbeatAt: isoTime.nullable(),
  idleSince: isoTime.nullable(),
  /** "permission for Bash", "idle_prompt": what kind of prompt, never what it asks. */
  waitingKind: line(80).nullable(),
  publishedAt: isoTime,
  /** Counts towards a quorum now (by its own machine's rules), and since when it is idle: the quorum across machines. */
  quorumMember: z.boolean().default(false),
  memberSince: isoTime.nullable().default(null),
  /** When the last quorum this machine told on its own while cut off (naming this surface) formed: not told again across machines. */
  toldSince: isoTime.nullable().default(null),
  /** Only when this machine shares details (bridge.shareDetails): the prompt's text, the surface's note, the reason. */
  details: z.object({ waiting: line(500).nullable(), note: line(500).nullable(), reason: line(500) }).optional(),
});
export type SurfaceRecord = z.output<typeof surfaceRecordSchema>;

/** Records are small; one far larger is refused before it is parsed. */
export const MAX_RECORD_BYTES = 4096;

/** The KV key of a surface on a host. */
export function recordKey(host: string, surface: string): string {
  return `${host}.${surface}`;
}

/** The kind of a waiting text: up to its first colon ("permission for Bash: rm -rf x" → "permission for Bash"). */
export function waitingKindOf(waiting: string | null): string | null {
  if (waiting === null || waiting === "") return null;
  const colon = waiting.indexOf(":");
  return (colon < 0 ? waiting : waiting.slice(0, colon)).trim().slice(0, 80) || null;
}

const clip = (text: string | null, max: number) => (text === null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The record this machine publishes for `surface`; `shareDetails` adds the texts that may say what the agent works on. */
export function recordOf(host: string, surface: SurfaceSnapshot, now: Date, shareDetails: boolean, member?: { idleSince: string | null }, toldSince: string | null = null): SurfaceRecord {
  const record: SurfaceRecord = {
    v: 1,
    host,
    surface: surface.id,
    agent: surface.agent ?? "claude-code",
    state: surface.state,
    lastHeartbeatAt: surface.lastHeartbeatAt,
    idleSince: surface.idleSince,
    waitingKind: surface.state === "waiting" ? waitingKindOf(surface.waiting) : null,
    publishedAt: now.toISOString(),
    quorumMember: member !== undefined,
    memberSince: member?.idleSince ?? null,
    toldSince,
  };
  if (shareDetails) record.details = { waiting: clip(surface.waiting, 500), note: clip(surface.note, 500), reason: clip(surface.reason, 500) ?? "" };
  return record;
}

/** A record read from the bucket, or why it is refused (named, never acted on). `key` must match what it says. */
export function parseRecord(key: string, bytes: Uint8Array): { ok: true; record: SurfaceRecord } | { ok: false; reason: string } {
  if (bytes.length > MAX_RECORD_BYTES) return { ok: false, reason: `${key}: ${bytes.length} bytes, over the ${MAX_RECORD_BYTES}-byte limit` };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, reason: `${key}: not JSON` };
  }
  const parsed = surfaceRecordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `${key}: ${parsed.error.issues[0]?.path.join(".") || "record"} ${parsed.error.issues[0]?.message ?? "is invalid"}` };
  if (recordKey(parsed.data.host, parsed.data.surface) !== key) return { ok: false, reason: `${key}: the record says it is ${recordKey(parsed.data.host, parsed.data.surface)}` };
  return { ok: true, record: parsed.data };
}
