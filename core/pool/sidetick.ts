// Git work on one sidetick: status, reset to base, creation and repair under the repository lock.
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync } from "node:fs";
import { readRegularFile } from "../fs/regular-file";
import { ExitCode, OttoError } from "../errors";
import { join } from "node:path";
import { runGit, runGitRetrying } from "./git";
import { type IdentityLayout, repoLockFile, sidetickName } from "./layout";
import { RefusedError } from "./errors";
import { foreignPathReason, pathPresent, sidetickForeignReason } from "./foreign";
import { repairEmptyCommondirs } from "./half-made-worktree";
import { withFileLock } from "./locks";
import { ensureMarkerExcluded, lockReason, otherRepoMarker, type PoolMarker, readMarker, writeMarker } from "./marker";
import { parseHeadFile, parseWorktreeList, type WorktreeEntry } from "./porcelain";
import type { RepoInfo } from "./repo";
import { type RescueReport, rescueBranchName } from "./rescue";
import { MAX_GIT_LINK_BYTES, worktreeGitDir } from "./worktree-files";
import { isUnreachable } from "./worktree-safety";

/** Everything an operation on one identity's pool needs. */
export interface PoolContext {
  repo: RepoInfo;
  poolRoot: string;
  layout: IdentityLayout;
  now: () => Date;
}

/** The worktrees git knows for the repository. */
export async function listWorktrees(repo: RepoInfo): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(repo.root, ["worktree", "list", "--porcelain", "-z"]);
  return parseWorktreeList(stdout);
}

/** Reads HEAD of a linked worktree straight from its admin directory (no process): branch ref or detached commit. */
export function readWorktreeHead(path: string): { branch: string | undefined; head: string | undefined } | undefined {
  const gitDir = worktreeGitDir(path);
  if (gitDir === undefined) return undefined;
  const read = readRegularFile(join(gitDir, "HEAD"), MAX_GIT_LINK_BYTES, undefined);
  return read.ok ? parseHeadFile(read.text) : undefined;
}

/**
 * True when the sidetick looks whole without asking git: a real directory (no symlink), `.git` link to an existing
 * admin dir of this repository, marker. A foreign one ({@link foreignPathReason}) never looks intact.
 */
export function looksIntact(ctx: PoolContext, n: number): boolean {
  const path = ctx.layout.sidetickPath(n);
  if (foreignPathReason(path, ctx.repo) !== undefined) return false;
  const gitDir = worktreeGitDir(path);
  return gitDir !== undefined && existsSync(join(gitDir, "HEAD")) && readMarker(path)?.identity === ctx.layout.identity;
}

/**
 * Puts a sidetick on a detached HEAD at `commit`. `discard` (only after its work was saved) also throws away
 * changes and untracked files (ignored ones stay) and ends an unfinished merge, rebase, cherry-pick, revert or am;
 * without it, git refuses rather than overwrite anything.
 */
export async function resetToBase(path: string, commit: string, discard: boolean): Promise<void> {
  if (!discard) {
    await runGitRetrying(path, ["checkout", "-q", "--detach", commit]);
    return;
  }
  // Detach first: a hard reset while on a branch would move that branch.
  await runGitRetrying(path, ["checkout", "-q", "-f", "--detach", commit]);
  await runGitRetrying(path, ["reset", "-q", "--hard", commit]);
  await runGitRetrying(path, ["clean", "-q", "-f", "-d"]);
  await quitOperations(path);
}

// "--quit" forgets an unfinished operation's state without touching HEAD, the index or files (already saved and reset).
async function quitOperations(path: string): Promise<void> {
  const gitDir = worktreeGitDir(path);
  if (gitDir === undefined) return;
  if (existsSync(join(gitDir, "rebase-apply", "applying"))) await runGit(path, ["am", "--quit"], { okExitCodes: [0, 128] });
  if (existsSync(join(gitDir, "rebase-merge")) || existsSync(join(gitDir, "rebase-apply"))) await runGit(path, ["rebase", "--quit"], { okExitCodes: [0, 128] });
  if (existsSync(join(gitDir, "sequencer")) || existsSync(join(gitDir, "CHERRY_PICK_HEAD"))) await runGit(path, ["cherry-pick", "--quit"], { okExitCodes: [0, 128] });
  if (existsSync(join(gitDir, "REVERT_HEAD"))) await runGit(path, ["revert", "--quit"], { okExitCodes: [0, 128] });
}

/**
 * Detaches HEAD from its branch without touching files (frees the branch for others; keeps every change). A HEAD
 * naming a branch that does not exist (deleted, or an orphan branch never committed to) is left as it is: there is
 * nothing to detach from, and the next allocation saves its files.
 */
export async function detachHead(path: string): Promise<void> {
  const head = readWorktreeHead(path);
  if (head?.branch === undefined) return;
  try {
    await runGitRetrying(path, ["update-ref", "--no-deref", "-m", "otto-tray pool release", "HEAD", "HEAD"]);
  } catch (error) {
    // One call in the common case; only a failure asks whether HEAD is unborn (then there is nothing to detach).
    const current = await runGit(path, ["rev-parse", "--verify", "-q", "HEAD"], { okExitCodes: [0, 1, 128] });
    if (current.exitCode === 0) throw error;
  }
}

/** What creating or repairing a sidetick did. */
export interface EnsureResult {
  created: boolean;
  repaired: string[];
  rescued: RescueReport[];
  /** Where a directory that was not a worktree was moved (nothing is deleted). */
  movedAside: string | undefined;
}

/**
 * Makes sidetick `n` exist as a locked, marked worktree (detached at `baseCommit` when it has to be created). Runs
 * under the repository lock. A directory that is not a worktree is moved aside, never deleted; commits of a
 * vanished sidetick that no branch holds are saved to a rescue branch first.
 */
export async function ensureSidetick(ctx: PoolContext, n: number, baseCommit: string): Promise<EnsureResult> {
  const { repo, layout } = ctx;
  const path = layout.sidetickPath(n);
  const result: EnsureResult = { created: false, repaired: [], rescued: [], movedAside: undefined };
  await withFileLock(repoLockFile(repo), async () => {
    // A symlink, another repository's worktree or a repository of its own in the sidetick's place: touch nothing.
    const foreign = sidetickForeignReason(path, repo);
    if (foreign !== undefined) throw new RefusedError(`${path}: ${foreign}`);
    ensureMarkerExcluded(repo.commonDir);
    // A killed add of an earlier repair may have left an empty commondir, which makes `git worktree list` die.
    repairEmptyCommondirs(repo.commonDir, ctx.poolRoot);
    const entry = (await listWorktrees(repo)).find((e) => e.path === path);
    const dirExists = pathPresent(path);
    if (entry !== undefined && dirExists && worktreeGitDir(path) === undefined) {
      await runGit(repo.root, ["worktree", "repair", path]);
      result.repaired.push("relinked .git");
    }
    if (entry !== undefined && dirExists) {
      if (entry.locked === undefined) {
        await runGit(repo.root, ["worktree", "lock", "--reason", lockReason(ctx.poolRoot, layout.identity), path], { okExitCodes: [0, 128] });
        result.repaired.push("locked");
      }
      if (readMarker(path)?.identity !== layout.identity) {
        writeMarker(path, sidetickMarker(ctx, n));
        result.repaired.push("marker");
      }
      return;
    }
    if (dirExists && readdirSync(path).length > 0) {
      assertNotOtherRepo(ctx, path);
      const aside = join(layout.metaDir, "orphans", `${sidetickName(n)}-${Date.now()}`);
      mkdirSync(join(layout.metaDir, "orphans"), { recursive: true });
      renameSync(path, aside);
      result.movedAside = aside;
    }
    const args = ["worktree", "add", "-q", "--detach", "--lock", "--reason", lockReason(ctx.poolRoot, layout.identity)];
    if (entry !== undefined) {
      // Registered but its directory is gone: its uncommitted files went with it, but its commits can still be saved.
      if (entry.head !== undefined && entry.detached && (await isUnreachable(repo.root, entry.head))) {
        const branch = rescueBranchName(layout.identity, sidetickName(n), ctx.now());
        await runGit(repo.root, ["branch", branch, entry.head]);
        result.rescued.push({ branch, commit: entry.head, path, uncommitted: false, reason: "missing directory" });
      }
      args.push("-f", "-f");
    }
    mkdirSync(layout.dir, { recursive: true });
    await runGitRetrying(repo.root, [...args, path, baseCommit]);
    writeMarker(path, sidetickMarker(ctx, n));
    result.created = true;
  });
  return result;
}

// A directory another repository owns (its marker names it, or its `.git` points into another common dir) is that
// repository's worktree: moving it aside would break it and hide its work, so refuse and say whose it is.
function assertNotOtherRepo(ctx: PoolContext, path: string): void {
  const marker = otherRepoMarker(path, ctx.repo.root);
  const linked = worktreeGitDir(path);
  const gitDir = linked !== undefined && existsSync(linked) ? realpathSync(linked) : undefined;
  const owner = marker?.repo ?? (gitDir !== undefined && !gitDir.startsWith(`${ctx.repo.commonDir}/`) ? gitDir : undefined);
  if (owner === undefined) return;
  throw new OttoError(`${path} belongs to another repository (${owner}): left alone`, {
    exitCode: ExitCode.refused,
    hint: "give each repository its own --pool-root (the default is keyed by the repository)",
  });
}

/** The marker content for sidetick `n` of the context's identity. */
export function sidetickMarker(ctx: PoolContext, n: number): PoolMarker {
  return {
    tool: "otto-tray",
    identity: ctx.layout.identity,
    repo: ctx.repo.root,
    poolRoot: ctx.poolRoot,
    sidetick: n,
    createdAt: ctx.now().toISOString(),
  };
}

/** Removes a free, clean sidetick (shrinking the pool): unlock, then a plain `git worktree remove` that refuses unsaved files. */
export async function removeSidetick(ctx: PoolContext, n: number): Promise<void> {
  const path = ctx.layout.sidetickPath(n);
  await withFileLock(repoLockFile(ctx.repo), async () => {
    await runGit(ctx.repo.root, ["worktree", "unlock", path], { okExitCodes: [0, 128] });
    try {
      // The marker is ignored, so git counts it as removable; anything else unsaved makes git refuse.
      await runGitRetrying(ctx.repo.root, ["worktree", "remove", path]);
    } catch (error) {
      await runGit(ctx.repo.root, ["worktree", "lock", "--reason", lockReason(ctx.poolRoot, ctx.layout.identity), path], { okExitCodes: [0, 128] });
      throw error;
    }
  });
}
