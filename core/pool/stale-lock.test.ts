// A stale index.lock is cleared only when no live process works in the sidetick.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { clearStaleIndexLock, processWorkingIn } from "./stale-lock";

function sidetickWithLock() {
  const root = makeTempDir();
  const worktree = join(root, "sidetick-1");
  const gitDir = join(root, "gitdir");
  mkdirSync(worktree);
  mkdirSync(gitDir);
  writeFileSync(join(gitDir, "index.lock"), "");
  return { worktree, gitDir, lock: join(gitDir, "index.lock") };
}

describe("clearStaleIndexLock", () => {
  it("removes a lock nobody holds (a killed git's leftover)", async () => {
    const { worktree, gitDir, lock } = sidetickWithLock();
    expect(await clearStaleIndexLock(worktree, gitDir, 0)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it("leaves a fresh lock alone while a live process works in the sidetick", async () => {
    const { worktree, gitDir, lock } = sidetickWithLock();
    const child = spawn("sleep", ["30"], { cwd: worktree, stdio: "ignore" });
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      expect(processWorkingIn(worktree)).toBe(true);
      expect(await clearStaleIndexLock(worktree, gitDir, 300)).toBe(false);
      expect(existsSync(lock)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("does nothing without a lock or a git dir", async () => {
    const { worktree, gitDir, lock } = sidetickWithLock();
    expect(await clearStaleIndexLock(worktree, undefined, 0)).toBe(false);
    expect(existsSync(lock)).toBe(true);
    expect(await clearStaleIndexLock(worktree, join(gitDir, "nope"), 0)).toBe(false);
  });
});
