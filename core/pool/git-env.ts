// The environment and options of the pool's own git calls: no hooks, no fsmonitor, nothing a calling git hook set.

/**
 * What `git rev-parse --local-env-vars` prints (git 2.39–2.47): variables that point git at one repository. A git
 * hook that runs otto-tray passes them on; inherited, they would aim every call at the hook's repository. A test
 * checks this list against the installed git, so a new git's additions are noticed.
 */
export const LOCAL_ENV_VARS: readonly string[] = [
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_CONFIG",
  "GIT_CONFIG_PARAMETERS",
  "GIT_CONFIG_COUNT",
  "GIT_OBJECT_DIRECTORY",
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_IMPLICIT_WORK_TREE",
  "GIT_GRAFT_FILE",
  "GIT_INDEX_FILE",
  "GIT_NO_REPLACE_OBJECTS",
  "GIT_REPLACE_REF_BASE",
  "GIT_PREFIX",
  "GIT_INTERNAL_SUPER_PREFIX",
  "GIT_SHALLOW_FILE",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
];

// `GIT_CONFIG_COUNT` comes with numbered pairs; a leftover pair is harmless alone, but scrub them all the same.
const CONFIG_PAIR = /^GIT_CONFIG_(KEY|VALUE)_\d+$/;

/**
 * Options put before every pool git command: hooks point at a directory that cannot hold any (`/dev/null`), the
 * fsmonitor is off, and optional locks are not taken, so a read (`git status`) never rewrites another agent's index.
 */
export const POOL_GIT_OPTIONS: readonly string[] = ["--no-optional-locks", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** The environment of a pool git call: the process's, minus repository-pointing variables, plus `extra`. */
export function gitEnv(extra: Record<string, string> | undefined, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of Object.keys(env)) if (LOCAL_ENV_VARS.includes(name) || CONFIG_PAIR.test(name)) delete env[name];
  // English messages, so transient failures can be recognised; never prompt for credentials.
  env.LC_ALL = "C";
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_OPTIONAL_LOCKS = "0";
  return { ...env, ...extra };
}
