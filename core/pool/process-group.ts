// Whether a process group still has a living member (the command `pool with` ran, and everything it started): signal 0, then /proc or ps.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { type ProcessRef, processRef } from "../process-liveness";

/** A process of a group as the system lists it. */
export interface GroupMember {
  pid: number;
  /** State letters (Z: a zombie, dead but not reaped). */
  state: string;
}

/** How to list members: /proc where it exists, else ps; `via` forces one (tests of the macOS path on Linux). */
export type GroupSource = "proc" | "ps";

/**
 * True while any process of the group `group.pid` lives (zombies do not count). `group.start` is the leader's start
 * time when the group was recorded: the kernel does not reuse a number while any process uses it as its group, so a
 * live process with that pid and another start time leads a new group and ours is over. What cannot be told counts
 * as alive (the lease it keeps is held: fail closed).
 */
export function isGroupAlive(group: ProcessRef, via: GroupSource = hasProc() ? "proc" : "ps"): boolean {
  try {
    process.kill(-group.pid, 0);
  } catch (error) {
    // ESRCH: no process is in the group. EPERM: some are, owned by someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const members = via === "proc" ? membersViaProc(group.pid) : membersViaPs(group.pid);
  if (members === undefined) return true;
  const living = members.filter((m) => !m.state.startsWith("Z") && !m.state.startsWith("X"));
  if (living.length === 0) return false;
  // A living leader started at another time is a reused pid leading a new group: ours is over. Its start time is read
  // again rather than judged by isProcessAlive, which also says false for a leader dying just now (not a reuse: its
  // background jobs may well live on, and a dying leader alone still counts until the next look).
  if (living.some((m) => m.pid === group.pid) && group.start !== undefined) {
    const now = processRef(group.pid, via);
    if (now.start !== undefined && now.start !== group.start) return false;
  }
  return true;
}

function hasProc(): boolean {
  try {
    readFileSync(`/proc/${process.pid}/stat`, "utf8");
    return true;
  } catch {
    return false;
  }
}

// Field 3 of /proc/PID/stat is the state and field 5 the process group, counted after the ")" ending the name.
function membersViaProc(pgid: number): GroupMember[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const members: GroupMember[] = [];
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) members.push({ pid: Number(pid), state: fields[0] ?? "" });
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

/** The most `ps -A` output read (about 30 bytes a process). */
const MAX_PS_BYTES = 8 * 1024 * 1024;

function membersViaPs(pgid: number): GroupMember[] | undefined {
  try {
    const r = spawnSync("ps", ["-A", "-o", "pid=", "-o", "pgid=", "-o", "stat="], {
      encoding: "utf8",
      timeout: 5000,
      maxBuffer: MAX_PS_BYTES,
      env: { PATH: process.env.PATH ?? "/bin:/usr/bin", LC_ALL: "C" },
    });
    return r.status === 0 && r.error === undefined ? parsePsGroups(r.stdout).filter((m) => m.pgid === pgid) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses `ps -A -o pid= -o pgid= -o stat=` (procps and macOS print the same columns). */
export function parsePsGroups(text: string): (GroupMember & { pgid: number })[] {
  const found: (GroupMember & { pgid: number })[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (match !== null) found.push({ pid: Number(match[1]), pgid: Number(match[2]), state: match[3] ?? "" });
  }
  return found;
}
