// `pool prune`: removes only stale worktrees that are safe to lose — never a pool sidetick, a locked one, or unsaved work.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { locate, type PoolLocation } from "./context";
import { runGit, runGitRetrying } from "./git";
import { repoLockFile } from "./layout";
import { withFileLock } from "./locks";
import { readMarker } from "./marker";
import type { WorktreeEntry } from "./porcelain";
import { isUnreachable, worktreeGitDir } from "./rescue";
import { listWorktrees, worktreeStatus } from "./sidetick";

/** Options of {@link prune}. */
export interface PruneOptions extends PoolLocation {
  dryRun?: boolean | undefined;
  /** Keep worktrees touched within this many seconds (default 0). */
  minAgeSeconds?: number | undefined;
}

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
  for (const [index, entry] of entries.entries()) {
    const branch = entry.branch?.replace(/^refs\/heads\//, "") ?? null;
    const keep = (reason: string) => result.kept.push({ path: entry.path, branch, reason });
    const marker = existsSync(entry.path) ? readMarker(entry.path)?.identity : undefined;
    const protectedBy = protectionReason(entry, { marker, isMain: index === 0, insidePoolRoot: entry.path.startsWith(`${poolRoot}/`) });
    if (protectedBy !== undefined) {
      keep(protectedBy);
      continue;
    }
    const reason = existsSync(entry.path) ? "clean and merged or pushed" : "directory gone, commits saved elsewhere";
    const unsafe = await unsafeReason(entry, repo.root);
    if (unsafe !== undefined) {
      keep(unsafe);
      continue;
    }
    if (options.minAgeSeconds && ageSeconds(entry.path) < options.minAgeSeconds) {
      keep(`touched less than ${options.minAgeSeconds}s ago`);
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

// Unsaved work means: uncommitted changes, or commits no other branch, remote-tracking branch or tag holds.
async function unsafeReason(entry: WorktreeEntry, repoRoot: string): Promise<string | undefined> {
  const head = entry.head;
  if (head === undefined) return "no HEAD";
  const cwd = existsSync(entry.path) ? entry.path : undefined;
  if (cwd !== undefined) {
    const st = await worktreeStatus(cwd).catch(() => undefined);
    if (st === undefined) return "git status failed";
    if (st.changes.length > 0) return "uncommitted changes";
  }
  const gitCwd = cwd ?? repoRoot;
  if (entry.branch !== undefined) {
    const other = await runGit(gitCwd, ["rev-list", "-1", head, "--not", "--remotes", "--tags", ...otherBranches(entry.branch)], { okExitCodes: [0, 128] });
    return other.exitCode !== 0 ? "cannot inspect" : other.stdout.trim() === "" ? undefined : "commits not merged or pushed";
  }
  return (await isUnreachable(gitCwd, head)) ? "commits on no branch" : undefined;
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
