// Temporary directories for tests, removed after each test file.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const created: string[] = [];
afterAll(() => {
  // A program a test ended a moment ago (a terminal's Claude Code, a hook) may still be writing its last files:
  // retry the removal briefly rather than fail the file on a race.
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** A fresh real directory (symlinks resolved) that is removed when the test file ends. */
export function makeTempDir(prefix = "otto-test-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.push(dir);
  return dir;
}
