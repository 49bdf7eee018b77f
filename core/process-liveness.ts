// Whether a lease's holder process still lives: signal 0, plus the Linux start time so a reused pid does not count.
import { readFileSync } from "node:fs";

/** A process as a lease records it: the pid and, where the platform tells, when it started. */
export interface ProcessRef {
  pid: number;
  /** Start time in clock ticks since boot (Linux /proc), so a recycled pid is not mistaken for the holder. */
  start?: string | undefined;
}

// Field 22 of /proc/PID/stat is the start time; fields are counted after the ")" that ends the command name.
function procStat(pid: number): { state: string; start: string } | undefined {
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

/** Describes a running process for a lease (pid plus start time when known). */
export function processRef(pid: number): ProcessRef {
  const stat = procStat(pid);
  return stat ? { pid, start: stat.start } : { pid };
}

/** True while the process lives: not gone, not a zombie, and (when recorded) started at the same time. */
export function isProcessAlive(ref: ProcessRef): boolean {
  try {
    process.kill(ref.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(ref.pid);
  if (stat === undefined) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return ref.start === undefined || ref.start === stat.start;
}
