// The default pool root is keyed by the repository; another repository's pool is left alone; old-default pools keep working; --repo defaults to cwd.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/cli";
import { git } from "../../../test-support/git";
import { makeTempDir } from "../../../test-support/temp";

// Two clones of one origin, both called `app`, in different directories, with one $HOME.
function twoClones() {
  const root = makeTempDir("otto-app-");
  const origin = join(root, "origin.git");
  git(root, ["init", "-q", "--bare", "-b", "main", origin]);
  const clone = (dir: string) => {
    mkdirSync(join(root, dir));
    const repo = join(root, dir, "app");
    git(root, ["clone", "-q", origin, repo]);
    return repo;
  };
  const first = clone("one");
  git(first, ["checkout", "-q", "-B", "main"]);
  writeFileSync(join(first, "README.md"), "app\n");
  git(first, ["add", "-A"]);
  git(first, ["commit", "-q", "-m", "initial"]);
  git(first, ["push", "-q", "-u", "origin", "main"]);
  const second = clone("two");
  const home = join(root, "home");
  const pool = (repo: string, sub: string, ...args: string[]) => runCli(["pool", sub, "--repo", repo, "--home", home, ...args], { env: { HOME: home } });
  return { root, home, a: first, b: second, pool };
}

describe("default pool root", () => {
  it("two clones both named app get two pools (~/.zeta-worktrees/app-<hash>)", () => {
    const t = twoClones();
    const a = t.pool(t.a, "allocate", "--identity", "otto-cli").stdout.trim();
    const b = t.pool(t.b, "allocate", "--identity", "otto-cli").stdout.trim();
    expect(a).toMatch(new RegExp(`^${join(t.home, ".zeta-worktrees")}/app-[0-9a-f]{10}/otto-cli/sidetick-1$`));
    expect(b).toMatch(/\/app-[0-9a-f]{10}\/otto-cli\/sidetick-1$/);
    expect(b.split("/").at(-3)).not.toBe(a.split("/").at(-3));
    // A linked worktree of the same repository finds the same pool.
    expect(t.pool(a, "status", "--json").stdout).toContain(a);
  });

  it("a pool made at the old default root (~/.zeta-worktrees/<name>) is found and used, with its lease and work", () => {
    const t = twoClones();
    const legacy = join(t.home, ".zeta-worktrees", "app");
    expect(t.pool(t.a, "init", "--identity", "otto-cli", "--size", "2", "--pool-root", legacy).code).toBe(0);
    const held = JSON.parse(t.pool(t.a, "allocate", "--identity", "otto-cli", "--pool-root", legacy, "--json").stdout) as { path: string; leaseId: string };
    writeFileSync(join(held.path, "work.txt"), "unsaved\n");
    // Now without --pool-root: the old pool is the one in use.
    const st = JSON.parse(t.pool(t.a, "status", "--json").stdout) as { poolRoot: string; identities: { sideticks: { path: string; state: string; leaseId: string | null }[] }[] };
    expect(st.poolRoot).toBe(legacy);
    expect(st.identities[0]?.sideticks[0]).toMatchObject({ path: held.path, state: "leased", leaseId: held.leaseId });
    const next = t.pool(t.a, "allocate", "--identity", "otto-cli");
    expect(next.stdout.trim()).toBe(join(legacy, "otto-cli", "sidetick-2"));
    expect(t.pool(t.a, "release", "--identity", "otto-cli", "--lease", held.leaseId).code).toBe(0);
    const again = t.pool(t.a, "allocate", "--identity", "otto-cli", "--json");
    const rescued = (JSON.parse(again.stdout) as { path: string; rescued: { branch: string }[] });
    expect(rescued.path).toBe(held.path);
    expect(git(t.a, ["show", `${rescued.rescued[0]?.branch}:work.txt`])).toBe("unsaved");
    expect(t.pool(t.a, "doctor").code).toBe(0);
    // Even with its config lost, the sideticks' markers name this repository: still found.
    rmSync(join(legacy, "otto-cli", ".pool", "config.json"));
    expect((JSON.parse(t.pool(t.a, "status", "--json").stdout) as { poolRoot: string }).poolRoot).toBe(legacy);
    // The other clone named app does not adopt it: it gets its own keyed root.
    const other = t.pool(t.b, "allocate", "--identity", "otto-cli").stdout.trim();
    expect(other).toMatch(/\/app-[0-9a-f]{10}\/otto-cli\/sidetick-1$/);
  });
});

describe("another repository's pool at the same root", () => {
  it("doctor --fix in one clone leaves the other's sideticks, leases and work alone and reports them (exit 6)", () => {
    const t = twoClones();
    const shared = join(t.root, "shared-pool");
    expect(t.pool(t.a, "init", "--identity", "otto-cli", "--size", "1", "--pool-root", shared).code).toBe(0);
    const held = JSON.parse(t.pool(t.a, "allocate", "--identity", "otto-cli", "--pool-root", shared, "--json").stdout) as { path: string; leaseId: string };
    writeFileSync(join(held.path, "work.txt"), "A's work\n");
    const markerBefore = readFileSync(join(held.path, ".zeta-pool-owner"), "utf8");

    const doc = t.pool(t.b, "doctor", "--fix", "--pool-root", shared, "--json");
    expect(doc.code).toBe(6);
    const result = JSON.parse(doc.stdout) as { problems: { problem: string; fixed: boolean; detail: string }[] };
    expect(result.problems).toContainEqual(expect.objectContaining({ problem: "other-repo", fixed: false }));
    expect(result.problems.find((p) => p.problem === "other-repo")?.detail).toContain(t.a);

    expect(readFileSync(join(held.path, "work.txt"), "utf8")).toBe("A's work\n");
    expect(readFileSync(join(held.path, ".zeta-pool-owner"), "utf8")).toBe(markerBefore);
    expect(git(t.a, ["worktree", "list", "--porcelain"])).toContain(`worktree ${held.path}`);
    expect(git(t.b, ["worktree", "list", "--porcelain"])).not.toContain(held.path);
    expect(existsSync(join(shared, "otto-cli", ".pool", "orphans"))).toBe(false);
    const st = JSON.parse(t.pool(t.a, "status", "--pool-root", shared, "--json").stdout) as { identities: { sideticks: { state: string; leaseId: string }[] }[] };
    expect(st.identities[0]?.sideticks[0]).toMatchObject({ state: "leased", leaseId: held.leaseId });
    const fromB = JSON.parse(t.pool(t.b, "status", "--pool-root", shared, "--json").stdout) as { identities: unknown[]; otherRepositories: { repo: string }[] };
    expect(fromB.identities).toEqual([]);
    expect(fromB.otherRepositories).toEqual([expect.objectContaining({ identity: "otto-cli", repo: t.a })]);
  });

  it("allocate, init and doctor --fix skip a sidetick whose marker names another repository", () => {
    const t = twoClones();
    const shared = join(t.root, "shared-pool");
    t.pool(t.a, "init", "--identity", "otto-cli", "--size", "1", "--pool-root", shared);
    const path = join(shared, "otto-cli", "sidetick-1");
    writeFileSync(join(path, "work.txt"), "A's work\n");
    // The pool's config now names B (a hand edit, or a pool made before configs): only A's marker is left to tell.
    const config = join(shared, "otto-cli", ".pool", "config.json");
    writeFileSync(config, JSON.stringify({ ...(JSON.parse(readFileSync(config, "utf8")) as object), repo: t.b }));
    const alloc = t.pool(t.b, "allocate", "--identity", "otto-cli", "--pool-root", shared);
    expect(alloc.code).toBe(3);
    const init = t.pool(t.b, "init", "--identity", "otto-cli", "--size", "1", "--pool-root", shared);
    expect(init.stdout).toMatch(/kept .*sidetick-1 \(its marker names another repository/);
    const doc = t.pool(t.b, "doctor", "--fix", "--pool-root", shared);
    expect(doc.code).toBe(6);
    expect(doc.stdout).toMatch(/found other-repo: .*sidetick-1 marker names otto-cli of the repository .*\/one\/app: left alone/);
    expect(t.pool(t.b, "status", "--pool-root", shared).stdout).toMatch(/sidetick-1\s+foreign/);
    expect(readFileSync(join(path, "work.txt"), "utf8")).toBe("A's work\n");
    expect(git(path, ["status", "--porcelain"])).toBe("?? work.txt");
  });
});

describe("--repo defaults to the current directory's repository", () => {
  it("works from a subdirectory of the repository, and says what to do outside one (exit 4)", () => {
    const t = twoClones();
    mkdirSync(join(t.a, "sub"));
    const inside = runCli(["pool", "allocate", "--identity", "otto-cli", "--home", t.home], { cwd: join(t.a, "sub"), env: { HOME: t.home } });
    expect(inside.code, inside.stderr).toBe(0);
    const outside = runCli(["pool", "status", "--home", t.home], { cwd: t.root, env: { HOME: t.home } });
    expect(outside.code).toBe(4);
    expect(outside.stderr).toMatch(/current directory .* is not inside a git repository/);
    expect(outside.stderr).toMatch(/--repo DIR/);
    expect(runCli(["pool", "--help"]).stdout).toMatch(/--repo DIR: any directory of the repository \(default: the repository of the current directory\)/);
  });
});
