// The branch checked out in a session's directory, read from .git/HEAD (bounded, never following a FIFO), without running git.
import { dirname, isAbsolute, join, resolve } from "node:path";
import { readRegularFile } from "../fs/regular-file";

const MAX_HEAD_BYTES = 4096;
/** How many directories up from the session's cwd a repository is looked for. */
const MAX_LEVELS = 32;

function readSmall(path: string): string | undefined {
  // Any owner: a repository may belong to another account the person works in; only a regular file is read.
  const read = readRegularFile(path, MAX_HEAD_BYTES, undefined);
  return read.ok ? read.text.trim() : undefined;
}

function branchOfHead(head: string): string {
  const ref = /^ref: refs\/heads\/(.+)$/.exec(head);
  if (ref?.[1] !== undefined) return ref[1];
  return /^[0-9a-f]{7,64}$/.test(head) ? `(detached ${head.slice(0, 7)})` : "(unknown)";
}

/**
 * The branch of the repository that holds `cwd` (a linked worktree's `.git` file is followed to its own HEAD), a
 * short commit when detached, or null when `cwd` is in no repository that can be read.
 */
export function gitBranchOf(cwd: string): string | null {
  let dir = resolve(cwd);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const dotGit = join(dir, ".git");
    const head = readSmall(join(dotGit, "HEAD"));
    if (head !== undefined) return branchOfHead(head);
    const link = readSmall(dotGit);
    const gitdir = link === undefined ? undefined : /^gitdir: (.+)$/.exec(link)?.[1];
    if (gitdir !== undefined) {
      const linked = readSmall(join(isAbsolute(gitdir) ? gitdir : resolve(dir, gitdir), "HEAD"));
      return linked === undefined ? null : branchOfHead(linked);
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}
