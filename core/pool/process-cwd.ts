// Which processes work in a directory: Linux reads /proc/*/cwd; elsewhere (macOS) `lsof` when it is installed.
import { execFileSync } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { sep } from "node:path";

const inside = (cwd: string, dir: string) => cwd === dir || cwd.startsWith(dir + sep);

/**
 * Pids of other processes whose working directory is `dir` or below it; undefined where the platform cannot tell
 * (no /proc and no usable lsof). Processes of other users that cannot be read are not seen.
 */
export function processesWorkingIn(dir: string): number[] | undefined {
  const fromProc = viaProc(dir);
  return fromProc !== undefined ? fromProc : viaLsof(dir);
}

function viaProc(dir: string): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  if (pids.length === 0) return undefined;
  const found: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (inside(readlinkSync(`/proc/${pid}/cwd`), dir)) found.push(Number(pid));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

// `lsof -d cwd -Fpn` prints "p<pid>" then "n<path>" for each process's working directory.
function viaLsof(dir: string): number[] | undefined {
  let text: string;
  try {
    text = execFileSync("lsof", ["-nP", "-w", "-d", "cwd", "-Fpn"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] });
  } catch (error) {
    // lsof exits 1 with partial output when some processes cannot be read; missing or hung lsof tells nothing.
    const out = (error as { stdout?: unknown }).stdout;
    if (typeof out !== "string" || out === "") return undefined;
    text = out;
  }
  return parseLsofCwd(text, dir);
}

/** Parses `lsof -Fpn` output: pids whose cwd lies in `dir` (this process excluded). */
export function parseLsofCwd(text: string, dir: string): number[] {
  const found: number[] = [];
  let pid: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("n") && pid !== undefined && pid !== process.pid && inside(line.slice(1), dir) && !found.includes(pid)) found.push(pid);
  }
  return found;
}
