// No data loss: saves what a reset would lose (uncommitted changes, commits on no branch) to a rescue branch first.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RefusedError } from "./errors";
import { runGit } from "./git";
import { worktreeGitDir } from "./worktree-files";
import { describeVerdict, type WorktreeVerdict } from "./worktree-safety";

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

/** The prefix of every rescue branch (short name). */
export const RESCUE_PREFIX = "otto-rescue/";

/** `otto-rescue/<identity>/<UTC time>-sidetick-N`: names the owner and the time, sorts by time. */
export function rescueBranchName(identity: string, sidetick: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${RESCUE_PREFIX}${identity}/${stamp}-${sidetick}`;
}

// Rescue commits need an author; fall back to a fixed one only where the user has none configured.
async function identityEnv(cwd: string): Promise<Record<string, string>> {
  const ok = await runGit(cwd, ["var", "GIT_COMMITTER_IDENT"], { okExitCodes: [0, 128] });
  const author = await runGit(cwd, ["var", "GIT_AUTHOR_IDENT"], { okExitCodes: [0, 128] });
  if (ok.exitCode === 0 && author.exitCode === 0) return {};
  const who = { name: "otto-tray rescue", email: "otto-tray@localhost" };
  return { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
}

const EMPTY_TREE_ARGS = ["hash-object", "-t", "tree", "--stdin"];

// Writes the working tree (tracked and untracked, not ignored) as a tree through a copy of the index, so the
// sidetick's own index (possibly locked by a dead process) is never touched. Returns the tree and whether it is empty.
async function workingTree(path: string, parent: string | undefined): Promise<{ tree: string; empty: boolean }> {
  const gitDir = worktreeGitDir(path) ?? join(path, ".git");
  const tempIndex = join(gitDir, `otto-rescue-index-${process.pid}-${Date.now()}`);
  const realIndex = join(gitDir, "index");
  try {
    const env = { GIT_INDEX_FILE: tempIndex };
    if (existsSync(realIndex)) copyFileSync(realIndex, tempIndex);
    else if (parent !== undefined) await runGit(path, ["read-tree", parent], { env });
    await runGit(path, ["add", "-A", "--", "."], { env });
    const tree = (await runGit(path, ["write-tree"], { env })).stdout.trim();
    const empty = (await runGit(path, EMPTY_TREE_ARGS, { input: "" })).stdout.trim() === tree;
    return { tree, empty };
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

/** Options of {@link save}. */
export interface SaveOptions {
  path: string;
  /** What {@link inspect} said, just before (under the caller's claim on the worktree). */
  verdict: WorktreeVerdict;
  identity: string;
  sidetick: string;
  reason: string;
  now: Date;
}

/**
 * Saves what a reset would lose, given the worktree's verdict: uncommitted changes as a commit on top of HEAD (or,
 * with HEAD unborn, on top of the commit HEAD last named, else as a root commit), and commits on no branch. Returns
 * undefined when there is nothing to save. Throws a RefusedError (exit 5), leaving the worktree as it is, when the
 * work cannot be saved: changes inside submodules, or a state that could not be read.
 */
export async function save(options: SaveOptions): Promise<RescueReport | undefined> {
  const { path, verdict } = options;
  if (verdict.kind === "clean") return undefined;
  if (verdict.kind === "unknown") {
    throw new RefusedError(`cannot tell whether ${path} holds unsaved work (${verdict.why}); left as it is`, "look at it with git status; otto-tray pool doctor reports it");
  }
  if (verdict.reasons.includes("submodule")) {
    throw new RefusedError(
      `${path} has changes inside submodule(s) ${verdict.submodules.join(", ")} that a reset would lose; left as it is`,
      "commit and push them inside the submodule (or discard them), then retry; free clean sideticks are used first",
    );
  }
  const uncommitted = verdict.reasons.some((r) => r !== "detached-commits" && r !== "ignored");
  const parent = verdict.head ?? verdict.lastHead;
  let commit: string;
  if (uncommitted) {
    const { tree, empty } = await workingTree(path, parent);
    if (empty && parent === undefined) return undefined;
    const message = [
      `otto-tray rescue: work of ${options.identity} in ${options.sidetick} (${options.reason})`,
      "",
      `Saved before the sidetick was reset; nothing was discarded. State: ${describeVerdict(verdict)}.`,
      ...(verdict.head === undefined ? [`HEAD named the missing branch ${verdict.branch ?? "?"}; parent is ${parent === undefined ? "none (root commit)" : `its last commit ${parent}`}.`] : []),
    ].join("\n");
    const who = await identityEnv(path);
    commit = (await runGit(path, ["commit-tree", tree, ...(parent === undefined ? [] : ["-p", parent]), "-m", message], { env: who })).stdout.trim();
  } else if (verdict.head !== undefined) {
    commit = verdict.head;
  } else {
    return undefined;
  }
  const branch = await createUniqueBranch(path, rescueBranchName(options.identity, options.sidetick, options.now), commit);
  return { branch, commit, path, uncommitted, reason: options.reason };
}
