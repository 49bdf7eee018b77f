// The pool's git through the built CLI: reads never write, no hooks or fsmonitor run, no leaked env, every call bounded.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isProcessAlive } from "../../../core/process-liveness";
import { runCli } from "../../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../../test-support/git";

function setup(size = 1) {
  const t = makeRepoWithOrigin({ "README.md": "hello\n" });
  const common = ["--repo", t.repo, "--pool-root", join(t.root, "pool"), "--home", join(t.root, "home")];
  const pool = (args: string[], env?: NodeJS.ProcessEnv) => runCli(["pool", ...args, ...common], env === undefined ? {} : { env });
  expect(pool(["init", "--identity", "otto-cli", "--size", String(size)]).code).toBe(0);
  return { ...t, pool, sidetick: join(t.root, "pool", "otto-cli", "sidetick-1") };
}

// The index's identity: git replaces the file (new inode) whenever it writes it.
/** Pushes a file checked out through a filter named `hang` (the test sets what it runs); returns preferences with a 2 s git bound. */
function withFilteredFile(t: ReturnType<typeof setup>): string {
  const config = join(t.root, "prefs.json");
  writeFileSync(config, JSON.stringify({ gitTimeoutSeconds: 2 }));
  writeFileSync(join(t.repo, ".gitattributes"), "*.bin filter=hang\n");
  writeFileSync(join(t.repo, "data.bin"), "data\n");
  git(t.repo, ["add", ".gitattributes", "data.bin"]);
  git(t.repo, ["commit", "-q", "-m", "filtered file"]);
  git(t.repo, ["push", "-q", "origin", "main"]);
  return config;
}

function indexStamp(worktree: string): string {
  const gitDir = readFileSync(join(worktree, ".git"), "utf8").replace(/^gitdir: /, "").trim();
  const s = statSync(join(gitDir, "index"));
  return `${s.ino}:${s.mtimeMs}:${s.size}`;
}

// A tracked file whose stat no longer matches the index: a `git status` that may take optional locks rewrites the index.
function makeIndexStale(worktree: string): void {
  const future = new Date(Date.now() + 3_600_000);
  utimesSync(join(worktree, "README.md"), future, future);
}

describe("read-only inspection never writes", () => {
  it("pool status does not rewrite a free sidetick's index", () => {
    const t = setup();
    makeIndexStale(t.sidetick);
    const before = indexStamp(t.sidetick);
    expect(t.pool(["status", "--json"]).code).toBe(0);
    expect(indexStamp(t.sidetick)).toBe(before);
    // The set-up is real: a plain git status does rewrite it.
    git(t.sidetick, ["status", "--porcelain"]);
    expect(indexStamp(t.sidetick)).not.toBe(before);
  });

  it("pool prune --dry-run does not rewrite another agent's index", () => {
    const t = setup();
    const other = join(t.root, "agent-worktree");
    git(t.repo, ["worktree", "add", "-q", "--detach", other, "origin/main"]);
    makeIndexStale(other);
    const before = indexStamp(other);
    const dry = t.pool(["prune", "--dry-run", "--min-age", "0", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(indexStamp(other)).toBe(before);
    git(other, ["status", "--porcelain"]);
    expect(indexStamp(other)).not.toBe(before);
  });
});

describe("hooks, fsmonitor and the caller's environment", () => {
  it("never runs the repository's fsmonitor or post-checkout hooks", () => {
    const t = setup();
    const marker = join(t.root, "ran");
    const script = (name: string) => {
      const path = join(t.root, "scripts", name);
      mkdirSync(join(t.root, "scripts"), { recursive: true });
      writeFileSync(path, `#!/bin/sh\necho ${name} >> ${JSON.stringify(marker)}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    git(t.repo, ["config", "core.fsmonitor", script("fsmonitor")]);
    const hooks = join(t.root, "hooks");
    mkdirSync(hooks);
    writeFileSync(join(hooks, "post-checkout"), readFileSync(script("post-checkout")));
    chmodSync(join(hooks, "post-checkout"), 0o755);
    git(t.repo, ["config", "core.hooksPath", hooks]);
    const allocated = t.pool(["allocate", "--identity", "otto-cli", "--branch", "work", "--json"]);
    expect(allocated.code, allocated.stderr).toBe(0);
    expect(t.pool(["status", "--json"]).code).toBe(0);
    expect(t.pool(["release", "--identity", "otto-cli", "--lease", (JSON.parse(allocated.stdout) as { leaseId: string }).leaseId]).code).toBe(0);
    expect(t.pool(["init", "--identity", "otto-cli", "--size", "2"]).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    // The set-up is real: git itself runs both.
    git(t.sidetick, ["status"]);
    git(t.sidetick, ["checkout", "-q", "--detach", "HEAD"]);
    expect(readFileSync(marker, "utf8")).toMatch(/fsmonitor[\s\S]*post-checkout|post-checkout[\s\S]*fsmonitor/);
  });

  it.each([
    ["GIT_CONFIG_PARAMETERS", (hooks: string) => ({ GIT_CONFIG_PARAMETERS: `'core.hookspath'='${hooks}'` })],
    ["GIT_CONFIG_COUNT", (hooks: string) => ({ GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "core.hooksPath", GIT_CONFIG_VALUE_0: hooks })],
  ])("ignores settings a calling git hook passes in %s (and the repository variables)", (_name, settings) => {
    const t = setup();
    const marker = join(t.root, "ran");
    const hooks = join(t.root, "caller-hooks");
    mkdirSync(hooks);
    writeFileSync(join(hooks, "post-checkout"), `#!/bin/sh\necho ran >> ${JSON.stringify(marker)}\n`);
    chmodSync(join(hooks, "post-checkout"), 0o755);
    const env = { ...settings(hooks), GIT_ALTERNATE_OBJECT_DIRECTORIES: join(t.root, "nowhere"), GIT_DIR: join(t.root, "nowhere"), GIT_INDEX_FILE: join(t.root, "nowhere") };
    const allocated = t.pool(["allocate", "--identity", "otto-cli", "--branch", "work"], env);
    expect(allocated.code, allocated.stderr).toBe(0);
    expect(t.pool(["status", "--json"], env).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("gitTimeoutSeconds", () => {
  it("ends a git call that hangs (a smudge filter) with its whole process group, names it, and holds no lock after", () => {
    const t = setup();
    const config = withFilteredFile(t);
    const pids = join(t.root, "filter-pids");
    git(t.repo, ["config", "filter.hang.smudge", `sleep 1000 & echo $! >> ${JSON.stringify(pids)}; wait`]);
    const hung = t.pool(["allocate", "--identity", "otto-cli", "--config", config]);
    expect(hung.code).toBe(4);
    expect(hung.stderr).toMatch(/git checkout -q --detach [0-9a-f]+ \(in .*sidetick-1\) did not finish within 2s/);
    expect(hung.stderr).toMatch(/gitTimeoutSeconds/);
    const sleeper = Number(readFileSync(pids, "utf8").trim().split("\n")[0]);
    // Zombies count as gone: where nothing reaps orphans (a container's init), a killed process lingers as one.
    expect(isProcessAlive({ pid: sleeper })).toBe(false);
    // No lock is left held: other commands run, and once the filter is fixed the sidetick is handed out.
    expect(t.pool(["status", "--json", "--config", config]).code).toBe(0);
    git(t.repo, ["config", "filter.hang.smudge", "cat"]);
    const fixed = t.pool(["allocate", "--identity", "otto-cli", "--config", config]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(readFileSync(join(t.sidetick, "data.bin"), "utf8")).toBe("data\n");
  });

  it("ends a hanging `git worktree add` in init and leaves the repository lock free", () => {
    const t = setup();
    const config = withFilteredFile(t);
    git(t.repo, ["config", "filter.hang.smudge", "sleep 1000"]);
    const hung = t.pool(["init", "--identity", "otto-cli", "--size", "2", "--config", config]);
    expect(hung.code).toBe(4);
    expect(hung.stderr).toMatch(/git worktree add .* did not finish within 2s/);
    git(t.repo, ["config", "filter.hang.smudge", "cat"]);
    const again = t.pool(["init", "--identity", "otto-cli", "--size", "2", "--config", config]);
    expect(again.code, again.stderr).toBe(0);
  });
});
