// Which processes work in a directory: Linux reads /proc/*/cwd; elsewhere (macOS) `lsof` when it is installed.
import { execFileSync } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { sep } from "node:path";

/** A process and its working directory. */
export interface ProcessCwd {
  pid: number;
  cwd: string;
}

/** Every other process's working directory that can be read; undefined where the platform cannot tell. */
export function listProcessCwds(): ProcessCwd[] | undefined {
  return viaProc() ?? viaLsof();
}

/**
 * Pids of other processes whose working directory is `dir` or below it; undefined where the platform cannot tell
 * (no /proc and no usable lsof). Processes of other users that cannot be read are not seen. Pass `cwds` to look
 * at many directories with one listing.
 */
export function processesWorkingIn(dir: string, cwds: ProcessCwd[] | undefined = listProcessCwds()): number[] | undefined {
  return cwds?.filter((p) => p.cwd === dir || p.cwd.startsWith(dir + sep)).map((p) => p.pid);
}

function viaProc(): ProcessCwd[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  if (pids.length === 0) return undefined;
  const found: ProcessCwd[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      found.push({ pid: Number(pid), cwd: readlinkSync(`/proc/${pid}/cwd`) });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

// `lsof -d cwd -Fpn` prints "p<pid>" then "n<path>" for each process's working directory.
function viaLsof(): ProcessCwd[] | undefined {
  let text: string;
  try {
    text = execFileSync("lsof", ["-nP", "-w", "-d", "cwd", "-Fpn"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] });
  } catch (error) {
    // lsof exits 1 with partial output when some processes cannot be read; a missing or hung lsof tells nothing.
    const out = (error as { stdout?: unknown }).stdout;
    if (typeof out !== "string" || out === "") return undefined;
    text = out;
  }
  return parseLsofCwd(text);
}

/** Parses `lsof -Fpn` output into processes and working directories (this process excluded). */
export function parseLsofCwd(text: string): ProcessCwd[] {
  const found: ProcessCwd[] = [];
  let pid: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("n") && pid !== undefined && pid !== process.pid) found.push({ pid, cwd: line.slice(1) });
  }
  return found;
}
