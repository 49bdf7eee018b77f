// `pool prune`: removes only stale worktrees that are safe to lose — never a pool sidetick, a locked or busy one, or unsaved work.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { locate, type PoolLocation } from "./context";
import { foreignPathReason } from "./foreign";
import { runGit, runGitRetrying } from "./git";
import { repoLockFile } from "./layout";
import { withFileLock } from "./locks";
import { readMarker } from "./marker";
import type { WorktreeEntry } from "./porcelain";
import { listProcessCwds, type ProcessCwd, processesWorkingIn } from "./process-cwd";
import { listWorktrees } from "./sidetick";
import { worktreeGitDir } from "./worktree-files";
import { describeVerdict, inspect, isUnreachable } from "./worktree-safety";

/** Options of {@link prune}. */
export interface PruneOptions extends PoolLocation {
  dryRun?: boolean | undefined;
  /** Keep worktrees touched within this many seconds (default {@link DEFAULT_PRUNE_MIN_AGE_SECONDS}). */
  minAgeSeconds?: number | undefined;
  /** Also remove worktrees holding git-ignored files (`.env`, `node_modules`); default false: they are kept. */
  includeIgnored?: boolean | undefined;
}

/** A worktree touched within a day may be someone's work in progress. */
export const DEFAULT_PRUNE_MIN_AGE_SECONDS = 86_400;

/** One worktree prune looked at. */
export interface PruneEntry {
  path: string;
  branch: string | null;
  reason: string;
}

/** What {@link prune} removed (or would remove, with dryRun) and what it kept, with reasons. */
export interface PruneResult {
  repo: string;
  dryRun: boolean;
  removed: PruneEntry[];
  kept: PruneEntry[];
}

/** Why a worktree must stay (pure): the first rule that protects it, or undefined when nothing does. */
export function protectionReason(entry: WorktreeEntry, facts: { marker: string | undefined; insidePoolRoot: boolean; isMain: boolean }): string | undefined {
  if (facts.isMain || entry.bare) return "main worktree";
  if (entry.locked !== undefined) return `locked${entry.locked ? `: ${entry.locked}` : ""}`;
  if (facts.marker !== undefined) return `pool sidetick of ${facts.marker}`;
  if (facts.insidePoolRoot) return "inside the pool root";
  return undefined;
}

/** Removes stale worktrees that are clean and whose commits are merged into the base or pushed. */
export async function prune(options: PruneOptions): Promise<PruneResult> {
  const { repo, poolRoot } = await locate(options);
  const dryRun = options.dryRun ?? false;
  const result: PruneResult = { repo: repo.root, dryRun, removed: [], kept: [] };
  const entries = await listWorktrees(repo);
  // One listing of every process's working directory serves all worktrees (lsof is slow).
  let cwds: { list: ProcessCwd[] | undefined } | undefined;
  for (const [index, entry] of entries.entries()) {
    const branch = entry.branch?.replace(/^refs\/heads\//, "") ?? null;
    const keep = (reason: string) => result.kept.push({ path: entry.path, branch, reason });
    const marker = existsSync(entry.path) ? readMarker(entry.path)?.identity : undefined;
    const protectedBy = protectionReason(entry, { marker, isMain: index === 0, insidePoolRoot: entry.path.startsWith(`${poolRoot}/`) });
    if (protectedBy !== undefined) {
      keep(protectedBy);
      continue;
    }
    // A symlink (to a directory moved away) or a `.git` leading elsewhere: git would act on what it leads to.
    const foreign = foreignPathReason(entry.path, repo);
    if (foreign !== undefined) {
      keep(`${foreign}; left as it is (git worktree remove would act on what it leads to)`);
      continue;
    }
    const reason = existsSync(entry.path) ? "clean and merged or pushed" : "directory gone, commits saved elsewhere";
    const minAge = options.minAgeSeconds ?? DEFAULT_PRUNE_MIN_AGE_SECONDS;
    if (existsSync(entry.path) && ageSeconds(entry.path) < minAge) {
      keep(`touched less than ${minAge}s ago`);
      continue;
    }
    if (existsSync(entry.path)) cwds ??= { list: listProcessCwds() };
    const busy = existsSync(entry.path) ? busyReason(entry.path, cwds?.list) : undefined;
    if (busy !== undefined) {
      keep(busy);
      continue;
    }
    const unsafe = await unsafeReason(entry, repo.root, options.includeIgnored ?? false);
    if (unsafe !== undefined) {
      keep(unsafe);
      continue;
    }
    if (!dryRun) {
      const removed = await withFileLock(repoLockFile(repo), async () => {
        // Plain remove (no --force): git itself refuses if anything unsaved appeared meanwhile.
        return runGitRetrying(repo.root, ["worktree", "remove", entry.path]).then(() => true, (error: Error) => (keep(`git refused: ${error.message}`), false));
      });
      if (!removed) continue;
    }
    result.removed.push({ path: entry.path, branch, reason });
  }
  return result;
}

// Unsaved work is what the pool's one safety check says (ignored files included unless asked), plus a rule of
// prune's own: the branch's commits must live on another branch, a remote-tracking branch or a tag.
async function unsafeReason(entry: WorktreeEntry, repoRoot: string, includeIgnored: boolean): Promise<string | undefined> {
  const head = entry.head;
  if (head === undefined) return "no HEAD";
  const cwd = existsSync(entry.path) ? entry.path : undefined;
  if (cwd !== undefined) {
    const verdict = await inspect(cwd, { ignored: !includeIgnored });
    if (verdict.kind !== "clean") {
      const hint = verdict.kind === "dirty" && verdict.reasons.length === 1 && verdict.reasons[0] === "ignored" ? "; --include-ignored removes it anyway" : "";
      return `${describeVerdict(verdict)}${hint}`;
    }
  }
  const gitCwd = cwd ?? repoRoot;
  if (entry.branch !== undefined) {
    const other = await runGit(gitCwd, ["rev-list", "-1", head, "--not", "--remotes", "--tags", ...otherBranches(entry.branch)], { okExitCodes: [0, 128] });
    return other.exitCode !== 0 ? "cannot inspect" : other.stdout.trim() === "" ? undefined : "commits not merged or pushed";
  }
  return (await isUnreachable(gitCwd, head)) ? "commits on no branch" : undefined;
}

// A process working in the worktree (an agent's shell, an editor, a dev server) means it is in use.
function busyReason(path: string, cwds: ProcessCwd[] | undefined): string | undefined {
  const pids = processesWorkingIn(path, cwds);
  if (pids === undefined) return "cannot tell whether a process works in it (no /proc and no lsof)";
  return pids.length > 0 ? `process ${pids.slice(0, 3).join(", ")} works in it` : undefined;
}

// Every local branch except the worktree's own: its commits must live somewhere else before it may go. (--exclude
// before --branches takes the short name; glob characters in it only exclude more, which keeps more.)
function otherBranches(ref: string): string[] {
  return [`--exclude=${ref.replace(/^refs\/heads\//, "")}`, "--branches"];
}

function ageSeconds(path: string): number {
  const times = [path, join(path, ".git")].filter(existsSync).map((p) => statSync(p).mtimeMs);
  const gitDir = worktreeGitDir(path);
  for (const f of gitDir ? ["HEAD", "index"] : []) if (gitDir && existsSync(join(gitDir, f))) times.push(statSync(join(gitDir, f)).mtimeMs);
  return (Date.now() - Math.max(0, ...times)) / 1000;
}
