// Whether a path in a sidetick's place is what the pool made (lstat, no symlink followed), or something foreign the pool must leave alone.
import { lstatSync, readlinkSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { readRegularFile } from "../fs/regular-file";
import { otherRepoMarker } from "./marker";
import { parseGitFile } from "./porcelain";
import type { RepoInfo } from "./repo";
import { MAX_GIT_LINK_BYTES } from "./worktree-files";

/** What to do about a foreign sidetick, for every message that reports one. */
export const FOREIGN_HINT = "left as it is; move it away and run otto-tray pool doctor --fix to make a new sidetick there";

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return stat.isFile() ? "a file" : "something else";
}

/**
 * Why the worktree at `path` is not one of `repo`'s linked worktrees the pool may act on, or undefined when it may
 * be (or is missing, or only broken: no `.git`, or a `.git` file naming no gitdir, which a repair rewrites inside
 * the directory). Foreign: `path` (or its parent) is a symlink or not a directory; its `.git` is a symlink, a
 * directory (a repository of its own) or not a regular file; or its `.git` file leads anywhere but this
 * repository's `worktrees/<name>`. Nothing is followed and nothing blocks, so the answer is about the path itself.
 * What cannot be examined counts as foreign (fail closed: the pool then touches nothing).
 */
export function foreignPathReason(path: string, repo: RepoInfo): string | undefined {
  try {
    const parent = lstatOrUndefined(dirname(path));
    if (parent?.isSymbolicLink()) return `its pool directory ${dirname(path)} is a symlink to ${readlinkSync(dirname(path))}, not a directory the pool made`;
    const stat = lstatOrUndefined(path);
    if (stat === undefined) return undefined;
    if (stat.isSymbolicLink()) return `it is a symlink to ${readlinkSync(path)}, not a directory the pool made`;
    if (!stat.isDirectory()) return `it is ${kindOf(stat)}, not a directory the pool made`;
    const dotGit = join(path, ".git");
    const git = lstatOrUndefined(dotGit);
    if (git === undefined) return undefined;
    if (git.isSymbolicLink()) return `its .git is a symlink to ${readlinkSync(dotGit)}`;
    if (git.isDirectory()) return "its .git is a directory (a repository of its own, not a worktree of this one)";
    const read = readRegularFile(dotGit, MAX_GIT_LINK_BYTES, undefined);
    if (!read.ok) return `its .git ${read.reason}`;
    const named = parseGitFile(read.text);
    if (named === undefined) return undefined;
    const gitDir = isAbsolute(named) ? named : resolve(path, named);
    if (!isWorktreeAdminDir(gitDir, repo)) return `its .git leads to ${gitDir}, not to a worktree of the repository ${repo.root} (another repository)`;
    return undefined;
  } catch (error) {
    return `it cannot be examined (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

// `<commonDir>/worktrees/<name>`, compared through real paths when they exist (a symlinked admin dir is followed to where it really is).
function isWorktreeAdminDir(gitDir: string, repo: RepoInfo): boolean {
  const worktrees = join(repo.commonDir, "worktrees");
  let real = gitDir;
  try {
    real = realpathSync(gitDir);
  } catch {
    // A missing admin dir (pruned registration) is judged by the name it gives: doctor re-registers ours.
  }
  return dirname(real) === worktrees && basename(real) !== "" && basename(real) !== "..";
}

/**
 * Why the pool must leave the sidetick at `path` alone, as one line that says what to do: its marker names another
 * repository (a shared pool root; said first, since it names whose it is), or foreign by {@link foreignPathReason}.
 * Undefined: the pool may act.
 */
export function sidetickForeignReason(path: string, repo: RepoInfo): string | undefined {
  const other = otherRepoMarkerOfDirectory(path, repo);
  if (other !== undefined) return `its marker names another repository (${other}): left alone`;
  const reason = foreignPathReason(path, repo);
  return reason === undefined ? undefined : `${reason}: ${FOREIGN_HINT}`;
}

/** The repository another pool's marker names, read only in a real directory (never through a symlink). */
export function otherRepoMarkerOfDirectory(path: string, repo: RepoInfo): string | undefined {
  try {
    if (!lstatSync(path).isDirectory() || lstatSync(dirname(path)).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  return otherRepoMarker(path, repo.root)?.repo;
}

/** True when something (a directory, a file, a symlink, even a dangling one) is at `path`. */
export function pathPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    // Only "no such file" is absence; a path that cannot be examined is something.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}
