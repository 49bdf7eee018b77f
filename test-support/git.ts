// Real git repositories for tests: a bare `origin` plus a clone with one commit on main, in temporary directories.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp";
import { git, makeRepoWithOriginAt, type TestRepo } from "./git-repo";

export { git, GIT_TEST_ENV, type TestRepo } from "./git-repo";

/** Creates `origin.git` (bare, default branch main) and a clone `repo` with `files` committed and pushed, in a temporary directory. */
export function makeRepoWithOrigin(files?: Record<string, string>): TestRepo {
  return makeRepoWithOriginAt(makeTempDir("otto-git-"), files);
}

/** Creates a repository with no remote at all. */
export function makeRepoWithoutOrigin(): string {
  const repo = join(makeTempDir("otto-git-"), "solo");
  mkdirSync(repo);
  git(repo, ["init", "-q", "-b", "main"]);
  writeFileSync(join(repo, "README.md"), "solo\n");
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-q", "-m", "initial"]);
  return repo;
}
