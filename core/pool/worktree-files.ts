// Reads a linked worktree's `.git` link without running git.
import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parseGitFile } from "./porcelain";

/** The admin directory of a linked worktree (from its `.git` file); undefined when that file is missing or odd. */
export function worktreeGitDir(path: string): string | undefined {
  try {
    const gitdir = parseGitFile(readFileSync(join(path, ".git"), "utf8"));
    return gitdir === undefined ? undefined : isAbsolute(gitdir) ? gitdir : resolve(path, gitdir);
  } catch {
    return undefined;
  }
}
