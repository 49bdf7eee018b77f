// Whether a Claude Code session record is live: its pid lives with the start time and pid domain the record names.
import { readFileSync, readlinkSync } from "node:fs";
import { procStat, psStat } from "../process-liveness";
import type { SessionRecord } from "./record";

/** How a record's process is checked: Linux /proc, or `ps` where there is none (macOS). */
export type LivenessVia = "proc" | "ps";

/** A `ps` start time (one-second steps) within this of `startedAt` (milliseconds) is the same process. */
const PS_START_TOLERANCE_SECONDS = 3;

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot) and the state letter; undefined when unreadable. */
export const procStartOf = procStat;

let hasProc: boolean | undefined;
/** Whether this platform has /proc (Linux); asked once. */
function procAvailable(): boolean {
  hasProc ??= procStartOf(process.pid) !== undefined;
  return hasProc;
}

/** `ps` costs a process: its answer is kept this long per pid (the detector looks at every record every second). */
const PS_CACHE_MS = 5_000;
const psCache = new Map<number, { at: number; stat: ReturnType<typeof psStat> }>();

function cachedPsStat(pid: number, now = Date.now()): ReturnType<typeof psStat> {
  const hit = psCache.get(pid);
  if (hit !== undefined && now - hit.at < PS_CACHE_MS) return hit.stat;
  // Bounded: as many pids as records are read, and never more than a few hundred.
  if (psCache.size >= 256) psCache.clear();
  const stat = psStat(pid);
  psCache.set(pid, { at: now, stat });
  return stat;
}

let ownDomain: string | null | undefined;

/**
 * This machine's pid domain as Claude Code 2.1.330 writes it on Linux: `linux:<machine-id>:<pid namespace link>`.
 * Null where it cannot be told (no /proc): the field is then not compared.
 */
export function ownPidDomain(): string | null {
  if (ownDomain !== undefined) return ownDomain;
  let ns: string;
  try {
    ns = readlinkSync("/proc/self/ns/pid");
  } catch {
    ownDomain = null;
    return ownDomain;
  }
  let machineId = "";
  try {
    machineId = readFileSync("/etc/machine-id", "utf8").trim();
  } catch {
    // Claude Code writes an empty machine id when it cannot read one; so do we.
  }
  ownDomain = `linux:${machineId}:${ns}`;
  return ownDomain;
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Live while the pid lives with the same start time; not by age (`updatedAt` stands still while a session sits
 * idle or busy). A record from another pid domain (another machine or pid namespace sharing the config dir) is
 * not live here: its pid means nothing on this machine.
 */
export function isRecordLive(record: SessionRecord, via: LivenessVia = procAvailable() ? "proc" : "ps"): boolean {
  if (record.pid <= 1 || !signalable(record.pid)) return false;
  if (via === "proc") {
    if (record.pidDomain !== undefined && ownPidDomain() !== null && record.pidDomain !== ownPidDomain()) return false;
    const stat = procStartOf(record.pid);
    if (stat === undefined) return false;
    if (stat.state === "Z" || stat.state === "X") return false;
    // An older record without procStart: the living pid is all there is to go on.
    return record.procStart === undefined || record.procStart === stat.start;
  }
  // UNTESTED HERE (no macOS in this environment): what Claude Code writes into procStart on macOS is not known, so
  // `startedAt` (milliseconds) is compared with the start time `ps -o lstart=` reports, within a few seconds.
  // The signal above still says at once when the pid is gone; the cached start time catches a reuse within seconds.
  const ps = cachedPsStat(record.pid);
  if (ps === undefined) return false;
  if (ps.state.startsWith("Z")) return false;
  if (record.startedAt === undefined) return true;
  return Math.abs(ps.startSeconds - record.startedAt / 1000) <= PS_START_TOLERANCE_SECONDS;
}
