// Leases and per-sidetick records: JSON files under <poolRoot>/<identity>/.pool, written atomically; liveness is pure.
import { randomUUID } from "node:crypto";
import { currentUid, readRegularFile } from "../fs/regular-file";
import type { ProcessRef } from "../process-liveness";

/** A sidetick handed to a holder. Outlives the command that took it; free again when the holder dies or time runs out. */
export interface Lease {
  leaseId: string;
  /** The process whose life bounds the lease; null: held until released or expired. */
  holder: ProcessRef | null;
  /**
   * The process group of the command `pool with` runs (pid: the group id, start: its leader's start time). While any
   * process of it lives the lease holds, even after the holder died. Absent in records written before it existed.
   */
  group?: ProcessRef | null | undefined;
  /** Who the lease is for, in words (a Claude Code session's worktree name and id); absent in older records. */
  label?: LeaseLabel | null | undefined;
  /** The allocating or releasing process while it works on the sidetick; its death frees the sidetick. */
  pending: ProcessRef | null;
  since: string;
  expiresAt: string | null;
  ttlSeconds: number | null;
  branch: string | null;
  /** Base ref the sidetick was reset to, and its commit. */
  base: string;
  head: string | null;
}

/** What a lease was taken for: `claude --worktree NAME` labels it with the name and the session's id. */
export interface LeaseLabel {
  name: string | null;
  sessionId: string | null;
}

/** The state file of one sidetick. */
export interface SidetickRecord {
  version: 1;
  sidetick: number;
  lease: Lease | null;
  releasedAt: string | null;
}

/**
 * Why a lease does or does not hold its sidetick. "unreadable": the record could not be read, so it counts as held.
 * "orphaned": the holder died but the command it ran (its process group) or another process still works in the
 * sidetick, so it stays held until they end.
 */
export type LeaseLiveness = "none" | "active" | "orphaned" | "expired" | "holder-dead" | "allocator-dead" | "unreadable";

/** The TTL of a lease without a holder pid when none is asked for: no lease lives forever. */
export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

/** What liveness asks of the system, injected so the decision stays pure. */
export interface LivenessChecks {
  isAlive: (ref: ProcessRef) => boolean;
  /** True while any process of the group lives; without it a recorded group is not looked at. */
  isGroupAlive?: ((group: ProcessRef) => boolean) | undefined;
  /** Pids of processes working in the sidetick (undefined: the platform cannot tell); without it nobody is looked for. */
  workersIn?: (() => readonly number[] | undefined) | undefined;
}

/**
 * What still works in a sidetick whose holder died, in words, or undefined when nothing does: its command's
 * process group, or processes whose current directory is in it. Not knowing counts as something (fail closed).
 */
export function lingering(lease: Pick<Lease, "group" | "leaseId">, checks: LivenessChecks, identity = "ID"): string | undefined {
  const group = lease.group ?? null;
  if (group !== null && checks.isGroupAlive?.(group) === true) {
    return `its command's process group ${group.pid} still runs (it ends when they finish, or: kill -TERM -${group.pid})`;
  }
  if (checks.workersIn === undefined) return undefined;
  const workers = checks.workersIn();
  if (workers === undefined) return `nobody can tell here whether a process works in it (no /proc, no lsof): give it back with otto-tray pool release --identity ${identity} --lease ${lease.leaseId} once nothing does`;
  return workers.length > 0 ? `process(es) ${workers.slice(0, 5).join(", ")} work in it` : undefined;
}

/**
 * Decides whether a lease still holds its sidetick, for a given clock and process checks (pure). A live process
 * always wins over the clock: an allocator at work, or a live holder, keeps the sidetick whatever the TTL says; a
 * dead holder's lease stays held while what it started lingers ({@link lingering}). Only a lease without a holder
 * runs out; one without an expiry (written before TTLs were defaulted) runs out {@link DEFAULT_TTL_SECONDS} after it
 * began. A bare `isAlive` looks at the pids alone.
 */
export function leaseLiveness(lease: Lease | null, now: Date, checks: LivenessChecks | ((ref: ProcessRef) => boolean)): LeaseLiveness {
  const c: LivenessChecks = typeof checks === "function" ? { isAlive: checks } : checks;
  if (lease === null) return "none";
  if (lease.pending !== null) return c.isAlive(lease.pending) ? "active" : "allocator-dead";
  if (lease.holder !== null) {
    if (c.isAlive(lease.holder)) return "active";
    return lingering(lease, c) === undefined ? "holder-dead" : "orphaned";
  }
  const expiresAt = lease.expiresAt !== null ? Date.parse(lease.expiresAt) : Date.parse(lease.since) + DEFAULT_TTL_SECONDS * 1000;
  // An unparseable date cannot prove the lease over: it holds.
  if (Number.isFinite(expiresAt) && expiresAt <= now.getTime()) return "expired";
  return "active";
}

/** Liveness of a record: an unreadable one is held, whatever it once said. */
export function recordLiveness(record: RecordRead, now: Date, checks: LivenessChecks | ((ref: ProcessRef) => boolean)): LeaseLiveness {
  return record.unreadable !== undefined ? "unreadable" : leaseLiveness(record.lease, now, checks);
}

/** True for the livenesses that hold a sidetick: an active or orphaned lease, or a record nobody can read. */
export function holdsSidetick(liveness: LeaseLiveness): boolean {
  return liveness === "active" || liveness === "orphaned" || liveness === "unreadable";
}

/** Expiry time for a TTL in seconds from `now` (null: no TTL). */
export function expiryFor(now: Date, ttlSeconds: number | null | undefined): string | null {
  return ttlSeconds === null || ttlSeconds === undefined ? null : new Date(now.getTime() + ttlSeconds * 1000).toISOString();
}

/** A new lease id: short, unique, safe in file names and shells. */
export function newLeaseId(): string {
  return `lease-${randomUUID()}`;
}

/** A record as read: `unreadable` says why it could not be trusted (then `lease` is null but the sidetick is held). */
export type RecordRead = SidetickRecord & { unreadable?: string };

const isStringOrNull = (v: unknown) => v === null || typeof v === "string";
const isDateOrNull = (v: unknown) => v === null || (typeof v === "string" && Number.isFinite(Date.parse(v)));

function isProcessRef(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Partial<ProcessRef>;
  return typeof r.pid === "number" && Number.isSafeInteger(r.pid) && r.pid > 0 && (r.start === undefined || typeof r.start === "string");
}

function isLabel(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const l = v as Partial<LeaseLabel>;
  return isStringOrNull(l.name) && isStringOrNull(l.sessionId);
}

// Every field, with its type: a record missing one was written by something else (or by hand), and is not trusted.
function leaseProblem(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "lease is not an object";
  const l = v as Record<string, unknown>;
  if (typeof l.leaseId !== "string" || l.leaseId === "") return "lease.leaseId is missing";
  if (!(l.holder === null || isProcessRef(l.holder))) return "lease.holder is missing or not a process";
  if (!(l.pending === null || isProcessRef(l.pending))) return "lease.pending is missing or not a process";
  if (!(l.group === undefined || l.group === null || isProcessRef(l.group))) return "lease.group is not a process group";
  if (!(l.label === undefined || l.label === null || isLabel(l.label))) return "lease.label is not a name and session id";
  if (!(typeof l.since === "string" && Number.isFinite(Date.parse(l.since)))) return "lease.since is missing or not a time";
  if (!isDateOrNull(l.expiresAt)) return "lease.expiresAt is missing or not a time";
  if (!(l.ttlSeconds === null || (typeof l.ttlSeconds === "number" && l.ttlSeconds > 0))) return "lease.ttlSeconds is missing or not a number";
  if (!isStringOrNull(l.branch) || !isStringOrNull(l.head) || typeof l.base !== "string") return "lease.branch, base or head is missing";
  return undefined;
}

/** Why a parsed record cannot be trusted, or undefined when it is a whole record of sidetick `n` (pure). */
export function recordProblem(value: unknown, n: number): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const v = value as Record<string, unknown>;
  if (v.version !== 1) return `unknown version ${JSON.stringify(v.version)}`;
  if (v.sidetick !== n) return `names sidetick ${JSON.stringify(v.sidetick)}, not ${n}`;
  if (!isDateOrNull(v.releasedAt)) return "releasedAt is missing or not a time";
  return v.lease === null ? undefined : leaseProblem(v.lease);
}

/** What to do about an unreadable record, for every message that reports one. */
export const UNREADABLE_REPAIR = "repair: otto-tray pool doctor --fix (when nobody works in it; else --fix --force)";

/** A lease record is well under a kilobyte; anything past this was not written by the pool. */
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Reads a sidetick's record. A missing file reads as "never leased"; anything else that is not a whole record
 * (empty, truncated, unparseable, hand-edited, unreadable) reads as held, with `unreadable` saying why. The file is
 * opened without following a symlink and without blocking: a FIFO, socket, device or directory in its place, one
 * another user owns, or one past {@link MAX_RECORD_BYTES} is unreadable too (held), never waited on.
 */
export function readRecord(path: string, sidetick: number): RecordRead {
  const free: SidetickRecord = { version: 1, sidetick, lease: null, releasedAt: null };
  const read = readRegularFile(path, MAX_RECORD_BYTES, currentUid());
  if (!read.ok) {
    if (read.missing) return free;
    return { ...free, unreadable: `${path} ${read.reason}` };
  }
  const text = read.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...free, unreadable: text.trim() === "" ? `${path} is empty` : `${path} is not valid JSON (truncated or edited)` };
  }
  const problem = recordProblem(value, sidetick);
  return problem === undefined ? (value as SidetickRecord) : { ...free, unreadable: `${path}: ${problem}` };
}
