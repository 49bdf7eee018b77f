// No data loss: saves a sidetick's uncommitted changes and unreachable commits to a rescue branch before any reset.
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { runGit } from "./git";
import { parseGitFile, type StatusSummary } from "./porcelain";

/** What was saved, and where. */
export interface RescueReport {
  /** The new branch (short name) holding the work. */
  branch: string;
  commit: string;
  /** The sidetick the work came from. */
  path: string;
  /** True when uncommitted changes (incl. untracked files) were committed onto the branch. */
  uncommitted: boolean;
  /** Why the rescue happened (e.g. "allocate", "refresh", "doctor"). */
  reason: string;
}

/** `otto-rescue/<identity>/<UTC time>-sidetick-N`: names the owner and the time, sorts by time. */
export function rescueBranchName(identity: string, sidetick: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `otto-rescue/${identity}/${stamp}-${sidetick}`;
}

/** The admin directory of a linked worktree (from its `.git` file); undefined when that file is missing or odd. */
export function worktreeGitDir(path: string): string | undefined {
  try {
    const gitdir = parseGitFile(readFileSync(join(path, ".git"), "utf8"));
    return gitdir === undefined ? undefined : isAbsolute(gitdir) ? gitdir : resolve(path, gitdir);
  } catch {
    return undefined;
  }
}

/** True when `commit` is on no branch, remote-tracking branch or tag (so detaching from it would lose it). */
export async function isUnreachable(cwd: string, commit: string): Promise<boolean> {
  const { stdout } = await runGit(cwd, ["rev-list", "-1", commit, "--not", "--branches", "--remotes", "--tags"]);
  return stdout.trim() !== "";
}

// Rescue commits need an author; fall back to a fixed one only where the user has none configured.
async function identityEnv(cwd: string): Promise<Record<string, string>> {
  const ok = await runGit(cwd, ["var", "GIT_COMMITTER_IDENT"], { okExitCodes: [0, 128] });
  const author = await runGit(cwd, ["var", "GIT_AUTHOR_IDENT"], { okExitCodes: [0, 128] });
  if (ok.exitCode === 0 && author.exitCode === 0) return {};
  const who = { name: "otto-tray rescue", email: "otto-tray@localhost" };
  return { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
}

// Commits the working tree (tracked and untracked, not ignored) through a copy of the index, so the sidetick's own
// index (possibly locked by a dead process) is never touched.
async function commitWorkingTree(path: string, head: string, message: string): Promise<string> {
  const gitDir = worktreeGitDir(path);
  const tempIndex = join(gitDir ?? join(path, ".git"), `otto-rescue-index-${process.pid}-${Date.now()}`);
  const realIndex = gitDir === undefined ? undefined : join(gitDir, "index");
  try {
    if (realIndex !== undefined && existsSync(realIndex)) copyFileSync(realIndex, tempIndex);
    const env = { GIT_INDEX_FILE: tempIndex };
    if (realIndex === undefined || !existsSync(realIndex)) await runGit(path, ["read-tree", head], { env });
    await runGit(path, ["add", "-A", "--", "."], { env });
    const tree = (await runGit(path, ["write-tree"], { env })).stdout.trim();
    const who = await identityEnv(path);
    return (await runGit(path, ["commit-tree", tree, "-p", head, "-m", message], { env: who })).stdout.trim();
  } finally {
    rmSync(tempIndex, { force: true });
  }
}

// Creates the branch only if the name is free (never moves an existing ref); adds -2, -3… on a collision.
async function createUniqueBranch(cwd: string, base: string, commit: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const result = await runGit(cwd, ["update-ref", "--create-reflog", "-m", "otto-tray rescue", `refs/heads/${name}`, commit, ""], {
      okExitCodes: [0, 1, 128],
    });
    if (result.exitCode === 0) return name;
  }
  throw new Error(`cannot find a free rescue branch name near ${base}`);
}

/**
 * Saves what a reset would lose: uncommitted changes (as a commit on top of HEAD) and commits on no branch. Returns
 * undefined when there is nothing to save. Work on a named branch is already safe once HEAD only detaches from it.
 */
export async function rescueWork(options: {
  path: string;
  status: StatusSummary;
  identity: string;
  sidetick: string;
  reason: string;
  now: Date;
}): Promise<RescueReport | undefined> {
  const { path, status } = options;
  if (status.head === undefined) return undefined;
  const dirty = status.changes.length > 0;
  if (!dirty && (status.branch !== undefined || !(await isUnreachable(path, status.head)))) return undefined;
  const commit = dirty
    ? await commitWorkingTree(
        path,
        status.head,
        `otto-tray rescue: uncommitted work of ${options.identity} in ${options.sidetick} (${options.reason})\n\nSaved before the sidetick was reset; nothing was discarded.`,
      )
    : status.head;
  const branch = await createUniqueBranch(path, rescueBranchName(options.identity, options.sidetick, options.now), commit);
  return { branch, commit, path, uncommitted: dirty, reason: options.reason };
}
