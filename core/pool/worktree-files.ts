// Reads a linked worktree's `.git` link without running git (never following a symlinked `.git`, never blocking on a FIFO).
import { isAbsolute, join, resolve } from "node:path";
import { readRegularFile } from "../fs/regular-file";
import { parseGitFile } from "./porcelain";

/** `.git` files and admin-dir files such as HEAD are one short line; more was not written by git. */
export const MAX_GIT_LINK_BYTES = 64 * 1024;

/** The admin directory of a linked worktree (from its `.git` file); undefined when that file is missing or odd. */
export function worktreeGitDir(path: string): string | undefined {
  const read = readRegularFile(join(path, ".git"), MAX_GIT_LINK_BYTES, undefined);
  if (!read.ok) return undefined;
  const gitdir = parseGitFile(read.text);
  return gitdir === undefined ? undefined : isAbsolute(gitdir) ? gitdir : resolve(path, gitdir);
}
