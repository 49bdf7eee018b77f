// Process liveness from a heartbeat's pid, and modification times of a surface's activity files.
import { statSync } from "node:fs";
import { userHome } from "../fs/user-home";
import { join } from "node:path";
import { isProcessAlive } from "../process-liveness";

/** true alive, false gone (or a zombie), undefined when there is no usable pid. */
export function surfaceProcessAlive(pid: number | undefined): boolean | undefined {
  if (pid === undefined || !Number.isSafeInteger(pid) || pid <= 1) return undefined;
  return isProcessAlive({ pid });
}

/** Expands a leading `~/`. */
export function expandHome(path: string, home = userHome()): string {
  return path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

/** Newest mtime (ms) among the files that exist; undefined when none does. */
export function latestActivity(files: readonly string[]): number | undefined {
  let latest: number | undefined;
  for (const file of files) {
    try {
      const mtime = statSync(expandHome(file)).mtimeMs;
      if (latest === undefined || mtime > latest) latest = mtime;
    } catch {
      // A missing activity file is simply no beat.
    }
  }
  return latest;
}
