// Which processes work in a directory: Linux reads /proc/*/cwd; elsewhere (macOS) `lsof` when it is installed.
import { execFileSync } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { sep } from "node:path";
import { boundsMeter } from "../diagnostics/bounds-meter";

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

/** The most `lsof` output read (about 100 bytes a process); past it the listing is cut, so nothing can be told. */
export const MAX_LSOF_BYTES = 16 * 1024 * 1024;

// `lsof -d cwd -Fpn` prints "p<pid>" then "n<path>" for each process's working directory (macOS adds "fcwd" between).
function viaLsof(): ProcessCwd[] | undefined {
  let text: string;
  try {
    text = execFileSync("lsof", ["-nP", "-w", "-d", "cwd", "-Fpn"], { encoding: "utf8", timeout: 10_000, maxBuffer: MAX_LSOF_BYTES, stdio: ["ignore", "pipe", "ignore"] });
  } catch (error) {
    // lsof exits 1 with the rest of the listing when some processes cannot be read; a missing, hung (killed at the
    // timeout) or overlong lsof (ENOBUFS) tells nothing: a cut listing could miss the very process that matters.
    const failed = error as { status?: unknown; signal?: unknown; code?: unknown; stdout?: unknown };
    if (failed.status !== 1 || failed.signal != null || failed.code === "ENOBUFS" || typeof failed.stdout !== "string" || failed.stdout === "") {
      return undefined;
    }
    text = failed.stdout;
  }
  boundsMeter.observe("pool.lsof-bytes", Buffer.byteLength(text), MAX_LSOF_BYTES);
  return parseLsofCwd(text);
}

/**
 * Parses `lsof -Fpn` output into processes and working directories (this process excluded). Paths are as lsof
 * prints them: a working directory that was deleted carries " (deleted)" (Linux), and unprintable characters are
 * escaped, so such a directory never equals a sidetick's path (a deleted one is no longer the sidetick anyway).
 */
export function parseLsofCwd(text: string): ProcessCwd[] {
  const found: ProcessCwd[] = [];
  let pid: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("n") && pid !== undefined && pid !== process.pid) found.push({ pid, cwd: line.slice(1) });
  }
  return found;
}
