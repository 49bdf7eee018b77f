// Where a pool keeps things: <poolRoot>/<identity>/sidetick-<N> plus its .pool directory of records, config and lock.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { userHome } from "../fs/user-home";
import { join, resolve } from "node:path";
import { parseSurfaceId } from "../ids";
import { readJsonFile, writeJsonAtomic } from "../fs/atomic-write";
import { readMarker } from "./marker";
import { type RepoInfo, repoName } from "./repo";

/** Paths of one identity's pool. */
export interface IdentityLayout {
  identity: string;
  dir: string;
  metaDir: string;
  lockFile: string;
  configFile: string;
  sidetickPath(n: number): string;
  recordFile(n: number): string;
}

/** Checks an identity (same rule as surface ids: no '/', '..' or spaces) and throws a UsageError (exit 2) otherwise. */
export function parseIdentity(value: unknown): string {
  return parseSurfaceId(value, "--identity");
}

/**
 * Default pool root: `~/.zeta-worktrees/<repository directory name>-<hash>` ($HOME respected), the hash being the
 * first 10 hex digits of the SHA-256 of the git common directory's real path: two clones both called `app` get
 * two pools, while every worktree of one repository finds the same one.
 */
export function defaultPoolRoot(repo: RepoInfo, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash("sha256").update(repo.commonDir).digest("hex").slice(0, 10);
  return join(userHome(env), ".zeta-worktrees", `${repoName(repo)}-${hash}`);
}

/** The default pool root before it was keyed by the repository (`~/.zeta-worktrees/<name>`), shared by same-named clones. */
export function legacyPoolRoot(repo: RepoInfo, env: NodeJS.ProcessEnv = process.env): string {
  return join(userHome(env), ".zeta-worktrees", repoName(repo));
}

/**
 * The pool root to use when none is given: the legacy root while it holds a pool this repository made (so its
 * sideticks, leases and work stay where their holders and git's worktree list expect them; nothing is moved), else
 * the keyed default. Pools of other repositories at the legacy root are never adopted.
 */
export function resolveDefaultPoolRoot(repo: RepoInfo, env: NodeJS.ProcessEnv = process.env): string {
  const legacy = legacyPoolRoot(repo, env);
  let names: string[] = [];
  try {
    names = readdirSync(legacy);
  } catch {
    // No legacy root: the keyed default.
  }
  const ours = names.some((name) => readIdentityConfig(identityLayout(legacy, name))?.repo === repo.root || markersNameRepo(join(legacy, name), repo.root));
  return ours ? legacy : defaultPoolRoot(repo, env);
}

// A pool whose config was lost still has its sideticks' markers naming the repository.
function markersNameRepo(identityDir: string, repoRoot: string): boolean {
  let names: string[];
  try {
    names = readdirSync(identityDir);
  } catch {
    return false;
  }
  return names.some((name) => parseSidetickName(name) !== undefined && readMarker(join(identityDir, name))?.repo === repoRoot);
}

/** The layout of `identity`'s pool under `poolRoot`. */
export function identityLayout(poolRoot: string, identity: string): IdentityLayout {
  const dir = join(resolve(poolRoot), identity);
  const metaDir = join(dir, ".pool");
  return {
    identity,
    dir,
    metaDir,
    lockFile: join(metaDir, "lock"),
    configFile: join(metaDir, "config.json"),
    sidetickPath: (n) => join(dir, sidetickName(n)),
    recordFile: (n) => join(metaDir, `${sidetickName(n)}.json`),
  };
}

/** `sidetick-<N>`. */
export function sidetickName(n: number): string {
  return `sidetick-${n}`;
}

/** The sidetick number in a directory name, or undefined when it is not a sidetick name. */
export function parseSidetickName(name: string): number | undefined {
  const match = /^sidetick-([1-9][0-9]{0,2})$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The repository-wide lock around every `git worktree add/remove/prune` the pool runs. */
export function repoLockFile(repo: RepoInfo): string {
  return join(repo.commonDir, "otto-pool.lock");
}

/** The repository-wide lock that serializes fetches. */
export function fetchLockFile(repo: RepoInfo): string {
  return join(repo.commonDir, "otto-pool-fetch.lock");
}

/** What `pool init` stored for an identity. */
export interface IdentityConfig {
  version: 1;
  identity: string;
  repo: string;
  size: number;
  base: string | null;
  createdAt: string;
}

/** Reads an identity's stored configuration; undefined when the pool was never initialised. */
export function readIdentityConfig(layout: IdentityLayout): IdentityConfig | undefined {
  const value = readJsonFile(layout.configFile) as Partial<IdentityConfig> | undefined;
  if (value?.version !== 1 || typeof value.size !== "number") return undefined;
  return value as IdentityConfig;
}

/** Stores an identity's configuration atomically. */
export function writeIdentityConfig(layout: IdentityLayout, config: IdentityConfig): void {
  writeJsonAtomic(layout.configFile, config, { durable: true });
}
