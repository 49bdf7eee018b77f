// Runs a TypeScript snippet in a child process with a deadline: for code that, broken, would block the test's own process for good (a FIFO opened for reading).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./cli";

/** Runs `script` (an ES module; import repository files by absolute path) with tsx; killed after `timeoutMs`. */
export function runTsSnippet(script: string, timeoutMs = 20_000): { stdout: string; stderr: string; signal: NodeJS.Signals | null; code: number | null } {
  const result = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "tsx"), ["--input-type=module", "-e", script], { encoding: "utf8", timeout: timeoutMs });
  return { stdout: result.stdout, stderr: result.stderr, signal: result.signal, code: result.status };
}
