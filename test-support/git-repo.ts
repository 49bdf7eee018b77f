// Real git repositories without a test runner attached (vitest and Playwright both use it): git, and a repo with an origin.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Environment that makes git deterministic and independent of the user's configuration. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: "Otto Test",
  GIT_AUTHOR_EMAIL: "otto-test@example.invalid",
  GIT_COMMITTER_NAME: "Otto Test",
  GIT_COMMITTER_EMAIL: "otto-test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

/** Runs git synchronously in `cwd` and returns trimmed stdout; throws with stderr on failure. */
export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_TEST_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

export interface TestRepo {
  /** Parent temporary directory (holds origin.git, the clone and room for a pool root). */
  root: string;
  /** The bare remote. */
  origin: string;
  /** The working clone agents share. */
  repo: string;
}

/** Creates `origin.git` (bare, default branch main) and a clone `repo` under `root`, with `files` committed and pushed. */
export function makeRepoWithOriginAt(root: string, files: Record<string, string> = { "README.md": "hello\n" }): TestRepo {
  const origin = join(root, "origin.git");
  const repo = join(root, "repo");
  git(root, ["init", "-q", "--bare", "-b", "main", origin]);
  git(root, ["clone", "-q", origin, repo]);
  git(repo, ["checkout", "-q", "-B", "main"]);
  for (const [name, content] of Object.entries(files)) {
    const path = join(repo, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  }
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-q", "-m", "initial"]);
  git(repo, ["push", "-q", "-u", "origin", "main"]);
  return { root, origin, repo };
}
