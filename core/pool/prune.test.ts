// `pool prune` keeps what a person would: ignored files (.env, node_modules), recent worktrees, ones a process works in.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../test-support/git";
import { prune } from "./prune";

function setup() {
  const t = makeRepoWithOrigin({ "README.md": "hello\n", ".gitignore": ".env\nnode_modules/\n" });
  const poolRoot = join(t.root, "pool");
  const loose = (name: string) => {
    const path = join(t.root, name);
    git(t.repo, ["worktree", "add", "-q", "--detach", path, "origin/main"]);
    return path;
  };
  return { ...t, poolRoot, loose };
}

describe("pool prune", () => {
  it("keeps a worktree holding git-ignored files unless --include-ignored", async () => {
    const t = setup();
    const env = t.loose("with-env");
    writeFileSync(join(env, ".env"), "TOKEN=secret\n");
    const modules = t.loose("with-modules");
    mkdirSync(join(modules, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(modules, "node_modules", "dep", "index.js"), "\n");
    const plain = t.loose("plain");
    const first = await prune({ repo: t.repo, poolRoot: t.poolRoot, minAgeSeconds: 0 });
    expect(first.removed.map((r) => r.path)).toEqual([plain]);
    const kept = Object.fromEntries(first.kept.map((k) => [k.path, k.reason]));
    expect(kept[env]).toMatch(/ignored \(\.env\).*--include-ignored/);
    expect(kept[modules]).toMatch(/ignored \(node_modules\/\)/);
    expect(existsSync(join(env, ".env"))).toBe(true);
    const second = await prune({ repo: t.repo, poolRoot: t.poolRoot, minAgeSeconds: 0, includeIgnored: true });
    expect(second.removed.map((r) => r.path).sort()).toEqual([env, modules].sort());
  });

  it("keeps worktrees touched within the last 24 hours by default", () => {
    const t = setup();
    const fresh = t.loose("fresh");
    const common = ["--repo", t.repo, "--pool-root", t.poolRoot, "--home", join(t.root, "home"), "--json"];
    const result = runCli(["pool", "prune", ...common]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { removed: unknown[]; kept: { path: string; reason: string }[] };
    expect(parsed.removed).toEqual([]);
    expect(parsed.kept.find((k) => k.path === fresh)?.reason).toBe("touched less than 86400s ago");
    const explicit = JSON.parse(runCli(["pool", "prune", ...common, "--min-age", "0"]).stdout) as { removed: { path: string }[] };
    expect(explicit.removed.map((r) => r.path)).toEqual([fresh]);
  });

  it.skipIf(!existsSync("/proc/self/cwd"))("skips a worktree a live process works in", async () => {
    const t = setup();
    const busy = t.loose("busy");
    const child = spawn("sleep", ["60"], { cwd: join(busy), stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && child.pid === undefined; i++) await sleep(10);
      const result = await prune({ repo: t.repo, poolRoot: t.poolRoot, minAgeSeconds: 0 });
      expect(result.removed).toEqual([]);
      expect(result.kept.find((k) => k.path === busy)?.reason).toBe(`process ${child.pid} works in it`);
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.on("exit", resolve));
    }
    expect((await prune({ repo: t.repo, poolRoot: t.poolRoot, minAgeSeconds: 0 })).removed.map((r) => r.path)).toEqual([busy]);
  });
});
