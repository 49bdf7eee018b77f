// The one answer to "does this worktree hold unsaved work?": allocate, refresh, doctor, status, init and prune all ask it.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describeError } from "../errors";
import { runGit } from "./git";
import { MARKER_FILE } from "./marker";
import { parseStatusV2 } from "./porcelain";
import { worktreeGitDir } from "./worktree-files";

/**
 * Why a worktree's state would be lost by a reset (or, for "ignored", by removing the directory). The stash is not
 * among them: it belongs to the whole repository, survives a reset, and nothing in the pool touches it.
 */
export type UnsavedReason =
  | "staged"
  | "unstaged"
  | "untracked"
  | "unmerged"
  /** Changes inside a submodule (its own commits, edits or untracked files): a superproject commit cannot hold them. */
  | "submodule"
  /** HEAD is detached at commits no branch, remote-tracking branch or tag holds. */
  | "detached-commits"
  /** HEAD names a branch that does not exist (deleted, or a new orphan branch). */
  | "unborn-head"
  /** A merge, rebase, cherry-pick, revert or am is in progress. */
  | "operation"
  /** Git-ignored files (`.env`, `node_modules`): they survive a reset, not a removal; only reported when asked. */
  | "ignored";

/** Nothing would be lost. */
export interface CleanVerdict {
  kind: "clean";
  head: string;
  branch: string | undefined;
}

/** Something would be lost; `reasons` says what, `paths` where (capped). */
export interface DirtyVerdict {
  kind: "dirty";
  reasons: UnsavedReason[];
  /** HEAD commit; undefined when HEAD is unborn. */
  head: string | undefined;
  branch: string | undefined;
  /** The last commit HEAD pointed at, from its reflog, when HEAD is unborn now (a rescue builds on it). */
  lastHead: string | undefined;
  paths: string[];
  submodules: string[];
  operation: string | undefined;
}

/** The state could not be read: treated as dirty by every caller (fail closed). */
export interface UnknownVerdict {
  kind: "unknown";
  why: string;
}

/** What {@link inspect} decided. */
export type WorktreeVerdict = CleanVerdict | DirtyVerdict | UnknownVerdict;

/** Options of {@link inspect}. */
export interface InspectOptions {
  /** Count git-ignored files as unsaved (for removal; a reset keeps them). Default false. */
  ignored?: boolean;
  /**
   * A commit a detached HEAD may sit on without its commits counting as unsaved: the pool's base, which a reset
   * returns to anyway. Saves the reachability check (one git process) on every warm allocation.
   */
  base?: string | undefined;
}

const MAX_PATHS = 20;

/**
 * Reads a worktree's state without writing anything (no optional locks, so another agent's index is never
 * rewritten) and decides whether it holds unsaved work. Untracked files are listed one by one (`-uall`) and
 * submodules are always looked into, whatever `status.showUntrackedFiles` or `diff.ignoreSubmodules` say.
 */
export async function inspect(path: string, options: InspectOptions = {}): Promise<WorktreeVerdict> {
  const gitDir = adminDir(path);
  if (gitDir === undefined) return { kind: "unknown", why: `${path} has no readable .git link` };
  const args = ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--ignore-submodules=none"];
  if (options.ignored === true) args.push("--ignored=matching");
  let status;
  try {
    status = parseStatusV2((await runGit(path, args)).stdout);
  } catch (error) {
    return { kind: "unknown", why: `git status failed in ${path}: ${describeError(error)}` };
  }
  const reasons: UnsavedReason[] = [];
  const add = (reason: UnsavedReason, when: boolean) => when && reasons.push(reason);
  const ignored = status.ignored.filter((p) => p !== MARKER_FILE);
  add("staged", status.staged.length > 0);
  add("unstaged", status.unstaged.some((p) => !status.submodules.includes(p)));
  add("untracked", status.untracked.length > 0);
  add("unmerged", status.unmerged.length > 0);
  add("submodule", status.submodules.length > 0);
  const operation = operationInProgress(gitDir);
  add("operation", operation !== undefined);
  add("ignored", ignored.length > 0);
  let lastHead: string | undefined;
  if (status.head === undefined) {
    reasons.push("unborn-head");
    lastHead = await lastHeadCommit(path, gitDir);
  } else if (status.branch === undefined && status.head !== options.base) {
    try {
      add("detached-commits", await isUnreachable(path, status.head));
    } catch (error) {
      return { kind: "unknown", why: `cannot tell whether ${status.head} is on a branch: ${describeError(error)}` };
    }
  }
  if (reasons.length === 0 && status.head !== undefined) return { kind: "clean", head: status.head, branch: status.branch };
  const paths = [...status.changes, ...(options.ignored === true ? ignored : [])].slice(0, MAX_PATHS);
  return { kind: "dirty", reasons, head: status.head, branch: status.branch, lastHead, paths, submodules: status.submodules, operation };
}

/** One line for people: "clean", or what is unsaved and where. */
export function describeVerdict(verdict: WorktreeVerdict): string {
  if (verdict.kind === "clean") return "clean";
  if (verdict.kind === "unknown") return `state unknown (${verdict.why})`;
  const what = verdict.reasons.map((r) => (r === "operation" ? `${verdict.operation ?? "operation"} in progress` : r)).join(", ");
  return `unsaved: ${what}${verdict.paths.length > 0 ? ` (${verdict.paths.slice(0, 5).join(", ")}${verdict.paths.length > 5 ? ", …" : ""})` : ""}`;
}

/** True when `commit` is on no branch, remote-tracking branch or tag (so detaching from it would lose it). */
export async function isUnreachable(cwd: string, commit: string): Promise<boolean> {
  const { stdout } = await runGit(cwd, ["rev-list", "-1", commit, "--not", "--branches", "--remotes", "--tags"]);
  return stdout.trim() !== "";
}

// A linked worktree's admin directory, or the main worktree's `.git` directory.
function adminDir(path: string): string | undefined {
  const linked = worktreeGitDir(path);
  if (linked !== undefined) return existsSync(join(linked, "HEAD")) ? linked : undefined;
  const own = join(path, ".git");
  try {
    return statSync(own).isDirectory() ? own : undefined;
  } catch {
    return undefined;
  }
}

// The state files each operation leaves in the worktree's admin directory while it is unfinished.
const OPERATIONS: [string, string][] = [
  ["rebase-merge", "rebase"],
  ["rebase-apply/applying", "am"],
  ["rebase-apply", "rebase"],
  ["MERGE_HEAD", "merge"],
  ["CHERRY_PICK_HEAD", "cherry-pick"],
  ["REVERT_HEAD", "revert"],
  ["sequencer", "cherry-pick or revert sequence"],
];

function operationInProgress(gitDir: string): string | undefined {
  return OPERATIONS.find(([file]) => existsSync(join(gitDir, file)))?.[1];
}

// HEAD's own reflog keeps the commit HEAD named before its branch was deleted or an orphan branch was started.
async function lastHeadCommit(cwd: string, gitDir: string): Promise<string | undefined> {
  let lines: string[];
  try {
    lines = readFileSync(join(gitDir, "logs", "HEAD"), "utf8").split("\n");
  } catch {
    return undefined;
  }
  for (const line of lines.reverse()) {
    const next = line.split(" ")[1];
    if (next === undefined || !/^[0-9a-f]{40,64}$/.test(next) || /^0+$/.test(next)) continue;
    const ok = await runGit(cwd, ["cat-file", "-e", `${next}^{commit}`], { okExitCodes: [0, 1, 128] });
    return ok.exitCode === 0 ? next : undefined;
  }
  return undefined;
}
