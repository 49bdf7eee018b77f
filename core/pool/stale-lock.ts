// Clears an index.lock that a killed git left in a claimed sidetick, after making sure no live process uses it.
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "./git";
import { processesWorkingIn } from "./process-cwd";

/** A lock this old belongs to no running git (git holds it for the length of one command). */
export const STALE_LOCK_AGE_MS = 10_000;

/** True when some other process has its working directory in `dir`; undefined where unknowable. */
export function processWorkingIn(dir: string): boolean | undefined {
  const pids = processesWorkingIn(dir);
  return pids === undefined ? undefined : pids.length > 0;
}

/**
 * Called only under the pool's claim of a free sidetick, so no pool process can be running git there.
 * A killed git (SIGKILL mid-checkout) leaves `index.lock` behind forever and every later git command in
 * the sidetick fails; a live one (a holder's orphaned child) must be left alone. The lock is removed when
 * no process works in the sidetick, or, where that cannot be known, once it is old enough.
 * Returns whether a lock was removed.
 */
export async function clearStaleIndexLock(worktree: string, gitDir: string | undefined, maxWaitMs = STALE_LOCK_AGE_MS): Promise<boolean> {
  if (gitDir === undefined) return false;
  const lock = join(gitDir, "index.lock");
  const started = Date.now();
  for (;;) {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(lock).mtimeMs;
    } catch {
      return false;
    }
    const busy = processWorkingIn(worktree);
    if (busy === false || Date.now() - mtimeMs >= STALE_LOCK_AGE_MS) {
      rmSync(lock, { force: true });
      return true;
    }
    if (Date.now() - started >= maxWaitMs) return false;
    await sleep(200);
  }
}
