// Finds the repository a pool serves and its base ref; cached per process so a warm allocation costs no extra git call.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors";
import { GitError, RepoError } from "./errors";
import { runGit } from "./git";
import { parseGitFile } from "./porcelain";

/** The repository behind a pool. */
export interface RepoInfo {
  /** The main worktree (or the bare repository) — what the pool is named after. */
  root: string;
  /** The git common directory shared by every worktree (holds refs, info/exclude and the repository lock). */
  commonDir: string;
}

const cache = new Map<string, Promise<RepoInfo>>();

/** Finds the repository containing `dir` (any of its worktrees works); throws RepoError (exit 4) when there is none. */
export function discoverRepo(dir: string): Promise<RepoInfo> {
  const key = resolve(dir);
  let found = cache.get(key);
  if (found === undefined) {
    found = discover(key);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function discover(dir: string): Promise<RepoInfo> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RepoError(`${dir} is not a directory`, "pass --repo with the path of a git repository");
  }
  const quick = discoverFromFiles(dir);
  if (quick !== undefined) return quick;
  let stdout: string;
  try {
    ({ stdout } = await runGit(dir, ["rev-parse", "--path-format=absolute", "--git-common-dir"]));
  } catch (error) {
    if (error instanceof GitError && error.result !== undefined) {
      throw new RepoError(`${dir} is not a git repository`, "pass --repo with the path of a git repository (or one of its worktrees)");
    }
    throw error;
  }
  const commonDir = realpathSync(stdout.trim());
  // A non-bare repository keeps its common dir in <main worktree>/.git.
  const root = basename(commonDir) === ".git" ? dirname(commonDir) : commonDir;
  return { root, commonDir };
}

// The common case without a process (a git spawn is a noticeable part of a whole `pool allocate`): `dir` itself holds
// `.git` as a directory, or as a file pointing at a linked worktree's admin dir with a `commondir` file. Anything
// else (subdirectories, bare repositories, GIT_DIR tricks) is left to git.
function discoverFromFiles(dir: string): RepoInfo | undefined {
  try {
    const dotGit = join(dir, ".git");
    const stat = statSync(dotGit);
    let commonDir: string;
    if (stat.isDirectory()) commonDir = dotGit;
    else {
      const gitDir = parseGitFile(readFileSync(dotGit, "utf8"));
      if (gitDir === undefined) return undefined;
      const adminDir = resolve(dir, gitDir);
      commonDir = resolve(adminDir, readFileSync(join(adminDir, "commondir"), "utf8").trim());
    }
    if (!existsSync(join(commonDir, "HEAD")) || !existsSync(join(commonDir, "objects"))) return undefined;
    const real = realpathSync(commonDir);
    return basename(real) === ".git" ? { root: dirname(real), commonDir: real } : undefined;
  } catch {
    return undefined;
  }
}

/** The repository's name for the default pool root (`foo.git` → `foo`). */
export function repoName(repo: RepoInfo): string {
  return basename(repo.root).replace(/\.git$/, "") || "repo";
}

/** A base ref and the commit it names now. */
export interface BaseRef {
  ref: string;
  commit: string;
}

/** The default base when neither an option nor the preferences name one. */
export const DEFAULT_BASE = "origin/main";

/** How a command that takes `--base` names another base ref (the default of {@link resolveBase}'s hints). */
export const PASS_BASE = "pass --base REF";

/**
 * Resolves the base ref (explicit, else `origin/main` when `origin` exists) to a commit, with errors that say what
 * to do. `nameAnother`: how this command's user names another base ("pass --base REF" where the command takes it;
 * commands without --base say how the pool's own base is set). Every way it fails is a repository error (exit 4).
 */
export async function resolveBase(repo: RepoInfo, ref: string | undefined, nameAnother: string = PASS_BASE): Promise<BaseRef> {
  const wanted = ref ?? DEFAULT_BASE;
  const result = await runGit(repo.root, ["rev-parse", "--verify", "-q", `${wanted}^{commit}`], { okExitCodes: [0, 1, 128] });
  const commit = result.stdout.trim();
  if (result.exitCode === 0 && commit !== "") return { ref: wanted, commit };
  if (ref !== undefined) throw new RepoError(`base ref ${JSON.stringify(ref)} does not name a commit in ${repo.root}`, `${nameAnother} with an existing branch, tag or commit`);
  const remotes = (await runGit(repo.root, ["remote"])).stdout.split("\n").map((r) => r.trim());
  if (!remotes.includes("origin")) {
    throw new RepoError(`${repo.root} has no remote "origin", so there is no default base ref (origin/main)`, `${nameAnother} (e.g. main), or set baseRef in the preferences`);
  }
  throw new RepoError(`${DEFAULT_BASE} does not exist in ${repo.root}`, `fetch it (git fetch origin), or ${nameAnother}`);
}

/** Resolves a path through its nearest existing ancestor, so a pool root that does not exist yet compares correctly. */
export function realpathLoose(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : resolve(realpathLoose(parent), basename(absolute));
}

/** Throws a UsageError (exit 2) when the pool root lies inside the repository's worktree or git directory. */
export function assertPoolRootOutside(poolRoot: string, repo: RepoInfo): void {
  const root = realpathLoose(poolRoot);
  for (const inside of [repo.root, repo.commonDir]) {
    if (root === inside || root.startsWith(`${inside}/`)) {
      throw new UsageError(`pool root ${root} is inside the repository ${inside}`, "pass --pool-root outside the repository (default ~/.zeta-worktrees/<repo name>-<hash>)");
    }
  }
}
