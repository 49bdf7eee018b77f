// `otto-tray pool` as agents run it (the built CLI as a real process): exit codes, JSON shapes, `pool with`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { git, makeRepoWithOrigin, makeRepoWithoutOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";

function setup() {
  const t = makeRepoWithOrigin();
  const home = join(t.root, "home");
  const common = ["--repo", t.repo, "--home", home];
  const pool = (sub: string, ...args: string[]) => runCli(["pool", sub, ...common, ...args], { env: { HOME: home } });
  return { ...t, home, pool };
}

describe("otto-tray pool", () => {
  it("allocates until exhausted (exit 3), prints the path or JSON, releases and reuses", () => {
    const t = setup();
    expect(t.pool("init", "--identity", "otto-cli", "--size", "2").code).toBe(0);
    const first = t.pool("allocate", "--identity", "otto-cli", "--json");
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(["base", "branch", "expiresAt", "head", "identity", "leaseId", "path", "rescued", "sidetick", "swept"]);
    // Default pool root: ~/.zeta-worktrees/<repository directory name>-<hash of its git common dir>, $HOME respected.
    const root = /^(.*\/\.zeta-worktrees\/repo-[0-9a-f]{10})\/otto-cli\/sidetick-1$/.exec(String(a.path))?.[1];
    expect(root?.startsWith(join(t.home, ".zeta-worktrees"))).toBe(true);
    const second = t.pool("allocate", "--identity", "otto-cli", "--ttl", "600");
    expect(second.stdout.trim()).toBe(join(String(root), "otto-cli", "sidetick-2"));
    const none = t.pool("allocate", "--identity", "otto-cli", "--wait", "0.2");
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no free sidetick/);
    expect(t.pool("release", "--identity", "otto-cli", "--lease", String(a.leaseId)).code).toBe(0);
    expect(t.pool("allocate", "--identity", "otto-cli").stdout.trim()).toBe(a.path);
    const st = JSON.parse(t.pool("status", "--json").stdout) as { identities: { identity: string; sideticks: { state: string; expiresAt: string | null }[] }[] };
    expect(st.identities.map((i) => i.identity)).toEqual(["otto-cli"]);
    expect(st.identities[0]?.sideticks.map((s) => s.state)).toEqual(["leased", "leased"]);
    expect(st.identities[0]?.sideticks[1]?.expiresAt).not.toBeNull();
    expect(t.pool("status").stdout).toMatch(/sidetick-1\s+leased/);
  });

  it("runs a command with `pool with`: cwd, environment, exit code, and the sidetick comes free", () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    const script = 'process.stdout.write(JSON.stringify({ cwd: process.cwd(), path: process.env.OTTO_POOL_PATH, lease: process.env.OTTO_POOL_LEASE })); process.exit(7)';
    const r = t.pool("with", "--identity", "otto-cli", "--", process.execPath, "-e", script);
    expect(r.code).toBe(7);
    const seen = JSON.parse(r.stdout) as { cwd: string; path: string; lease: string };
    expect(seen.cwd).toBe(seen.path);
    expect(seen.path).toMatch(/sidetick-1$/);
    expect(seen.lease).toMatch(/^lease-/);
    expect(t.pool("allocate", "--identity", "otto-cli").code).toBe(0);
    expect(t.pool("with", "--identity", "otto-cli", "--", "true").code).toBe(3);
  });

  it("reports rescued work on stderr and in JSON", () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    const first = JSON.parse(t.pool("allocate", "--identity", "otto-cli", "--json").stdout) as { path: string; leaseId: string };
    git(first.path, ["commit", "-q", "--allow-empty", "-m", "detached work"]);
    expect(t.pool("release", "--identity", "otto-cli", "--lease", first.leaseId).code).toBe(0);
    const again = t.pool("allocate", "--identity", "otto-cli", "--json");
    const rescued = (JSON.parse(again.stdout) as { rescued: { branch: string }[] }).rescued;
    expect(rescued).toHaveLength(1);
    expect(again.stderr).toContain(rescued[0]?.branch);
  });

  it("exits 2 on bad input and 4 on repository errors", () => {
    const t = setup();
    for (const identity of ["a/b", "..", "with space"]) {
      const r = t.pool("allocate", "--identity", identity);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--identity/);
    }
    expect(t.pool("allocate").code).toBe(2);
    expect(t.pool("release", "--identity", "x").code).toBe(2);
    expect(t.pool("init", "--identity", "x", "--size", "9").code).toBe(2);
    expect(t.pool("frobnicate").code).toBe(2);
    expect(t.pool("init", "--identity", "x", "--pool-root", join(t.repo, "inside")).code).toBe(2);
    const notRepo = runCli(["pool", "init", "--repo", makeTempDir(), "--identity", "x", "--pool-root", join(t.root, "p")]);
    expect(notRepo.code).toBe(4);
    expect(notRepo.stderr).toMatch(/not a git repository/);
    const solo = makeRepoWithoutOrigin();
    const noOrigin = runCli(["pool", "init", "--repo", solo, "--identity", "x", "--pool-root", join(solo, "..", "p")]);
    expect(noOrigin.code).toBe(4);
    expect(noOrigin.stderr).toMatch(/no remote "origin".*\n.*--base/);
    expect(t.pool("init", "--identity", "x", "--base", "no-such-ref").code).toBe(4);
  });

  it("prunes and doctors with JSON output", () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    const prune = JSON.parse(t.pool("prune", "--dry-run", "--json").stdout) as { dryRun: boolean; removed: unknown[]; kept: { reason: string }[] };
    expect(prune.dryRun).toBe(true);
    expect(prune.removed).toEqual([]);
    const doc = JSON.parse(t.pool("doctor", "--json").stdout) as { healthy: boolean; problems: unknown[] };
    expect(doc).toMatchObject({ healthy: true, problems: [] });
  });
});
