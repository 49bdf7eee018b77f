// Whether a process still lives: signal 0, plus its start time (Linux /proc, else `ps -o lstart=`) so a reused pid does not count.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** A process as a lease records it: the pid and, where the platform tells, when it started. */
export interface ProcessRef {
  pid: number;
  /**
   * When it started, so a recycled pid is not mistaken for the holder: clock ticks since boot from Linux /proc
   * (digits), or `lstart:<unix seconds>` from `ps -o lstart=` where there is no /proc (macOS).
   */
  start?: string | undefined;
}

const LSTART_PREFIX = "lstart:";

/** State letter and start time (field 22 of /proc/PID/stat, clock ticks since boot); fields are counted after the ")" that ends the command name. */
export function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const state = rest[0];
    const start = rest[19];
    return state !== undefined && start !== undefined ? { state, start } : undefined;
  } catch {
    return undefined;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Parses what `ps -o lstart=` prints in the C locale, read as UTC (we run ps with TZ=UTC), e.g.
 * `Sat Nov 21 18:57:12 2026` (procps and macOS print the same shape; a one-digit day is padded with a space).
 * Returns unix seconds, or undefined for anything else.
 */
export function parseLstart(text: string): number | undefined {
  const match = /^\s*[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s*$/.exec(text);
  if (match === null) return undefined;
  const [, mon, day, hh, mm, ss, year] = match;
  const month = MONTHS.indexOf(mon ?? "");
  if (month < 0) return undefined;
  const ms = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** Parses one line of `ps -o stat= -o lstart=`: the state letters, then the start time (see {@link parseLstart}). */
export function parsePsStatLstart(text: string): { state: string; startSeconds: number } | undefined {
  const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(text);
  if (match === null) return undefined;
  const startSeconds = parseLstart(match[2] ?? "");
  return startSeconds === undefined ? undefined : { state: match[1] ?? "", startSeconds };
}

/** State and start time of a process from `ps` (the path where there is no /proc); undefined when ps cannot tell. */
export function psStat(pid: number): { state: string; startSeconds: number } | undefined {
  try {
    // TZ and locale fixed: every reader must turn the same process into the same time, whatever its environment.
    const r = spawnSync("ps", ["-o", "stat=", "-o", "lstart=", "-p", String(pid)], {
      encoding: "utf8",
      timeout: 5000,
      env: { PATH: process.env.PATH ?? "/bin:/usr/bin", TZ: "UTC", LC_ALL: "C" },
    });
    return r.status === 0 ? parsePsStatLstart(r.stdout.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/** How to learn a start time: /proc where it exists, else ps; `via` forces one (tests of the macOS path on Linux). */
export type StartSource = "proc" | "ps";

/** Describes a running process for a lease (pid plus start time when known). */
export function processRef(pid: number, via: StartSource = procStat(process.pid) !== undefined ? "proc" : "ps"): ProcessRef {
  if (via === "proc") {
    const stat = procStat(pid);
    return stat ? { pid, start: stat.start } : { pid };
  }
  const ps = psStat(pid);
  return ps ? { pid, start: `${LSTART_PREFIX}${ps.startSeconds}` } : { pid };
}

/**
 * True while the process lives: not gone, not a zombie, and (when recorded) started at the same time. What cannot
 * be told (no /proc and no ps) counts as alive: a lease whose holder might live is kept.
 */
export function isProcessAlive(ref: ProcessRef): boolean {
  try {
    process.kill(ref.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (ref.start?.startsWith(LSTART_PREFIX)) {
    const ps = psStat(ref.pid);
    if (ps === undefined) return true;
    if (ps.state.startsWith("Z")) return false;
    // lstart has one-second steps: a difference of a second is the same process, not a reuse.
    return Math.abs(ps.startSeconds - Number(ref.start.slice(LSTART_PREFIX.length))) <= 1;
  }
  const stat = procStat(ref.pid);
  if (stat === undefined) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return ref.start === undefined || ref.start === stat.start;
}
