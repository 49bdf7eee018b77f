// Opens one identity's pool from caller options: validates identity, repository and pool root; reads the stored config.
import { resolve } from "node:path";
import { UsageError } from "../errors";
import { setGitTimeoutSeconds } from "./git";
import { identityLayout, resolveDefaultPoolRoot, type IdentityConfig, parseIdentity, readIdentityConfig } from "./layout";
import { RepoError } from "./errors";
import { assertPoolRootOutside, discoverRepo, realpathLoose, type RepoInfo } from "./repo";
import type { PoolContext } from "./sidetick";

/** Where the pool is: every library call takes these. */
export interface PoolLocation {
  /** A directory of the repository (any worktree of it); default: the current directory. */
  repo?: string | undefined;
  /** Default `~/.zeta-worktrees/<repository name>-<hash of its git common dir>` (or the legacy root holding its pools). */
  poolRoot?: string | undefined;
  /** Environment for defaults ($HOME); default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Clock (tests pass a fixed one). */
  now?: (() => Date) | undefined;
  /** Bound of each git call in seconds (default 600); applies to every later call of this process. */
  gitTimeoutSeconds?: number | undefined;
}

/** Options naming one identity's pool, with the preference defaults the caller resolved. */
export interface PoolOptions extends PoolLocation {
  identity: string;
  /** Base ref; overrides the stored one and `defaultBase`. */
  base?: string | undefined;
  /** Preferences' baseRef, used when neither `base` nor `pool init --base` named one. */
  defaultBase?: string | undefined;
  /** Preferences' poolSize, used when the pool was never initialised with a size (default 3). */
  defaultSize?: number | undefined;
}

/** An opened pool: context plus what `init` stored. */
export interface OpenPool {
  ctx: PoolContext;
  config: IdentityConfig | undefined;
  size: number;
  /** The base ref name to use, or undefined for the default (origin/main). */
  baseRef: string | undefined;
}

/** Resolves the repository and the pool root (validated to lie outside the repository). */
export async function locate(options: PoolLocation): Promise<{ repo: RepoInfo; poolRoot: string; now: () => Date }> {
  if (options.gitTimeoutSeconds !== undefined) setGitTimeoutSeconds(options.gitTimeoutSeconds);
  const repo = await discoverRepo(options.repo ?? process.cwd()).catch((error: unknown) => {
    // Without --repo the current directory names the repository: say so, rather than blame a path nobody passed.
    if (options.repo === undefined && error instanceof RepoError) {
      throw new RepoError(`the current directory ${process.cwd()} is not inside a git repository (pool commands use it when --repo is not given)`, "run the command inside the repository, or pass --repo DIR");
    }
    throw error;
  });
  const poolRoot = realpathLoose(resolve(options.poolRoot ?? resolveDefaultPoolRoot(repo, options.env)));
  assertPoolRootOutside(poolRoot, repo);
  return { repo, poolRoot, now: options.now ?? (() => new Date()) };
}

/** Opens `options.identity`'s pool; throws UsageError for a bad identity or a pool root that belongs to another repository. */
export async function openPool(options: PoolOptions): Promise<OpenPool> {
  const identity = parseIdentity(options.identity);
  const { repo, poolRoot, now } = await locate(options);
  const layout = identityLayout(poolRoot, identity);
  const config = readIdentityConfig(layout);
  if (config !== undefined && config.repo !== repo.root) {
    throw new UsageError(`the pool ${layout.dir} belongs to the repository ${config.repo}, not ${repo.root}`, "pass --pool-root for this repository");
  }
  const size = config?.size ?? options.defaultSize ?? 3;
  const baseRef = options.base ?? config?.base ?? options.defaultBase ?? undefined;
  return { ctx: { repo, poolRoot, layout, now }, config, size, baseRef };
}
