// A sidetick replaced by a symlink, or whose `.git` leads to another repository, is foreign: every pool command leaves it exactly as it is.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { identityLayout } from "../../../core/pool/layout";
import { git, makeRepoWithOrigin } from "../../../test-support/git";
import { allocate, describeRun, makePoolFixture, pool, poolArgs, poolOk, poolStatus, type PoolFixture, sideticksOf } from "../../../test-support/pool-pressure";

const ID = "otto-cli";

/** Every entry under `dir` (symlinks not followed): its type and, for files and links, its exact content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const stat = lstatSync(path);
    const key = relative(dir, path) || ".";
    if (stat.isSymbolicLink()) out[key] = `link ${readlinkSync(path)}`;
    else if (stat.isDirectory()) {
      out[key] = `dir ${stat.mode.toString(8)}`;
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else out[key] = `file ${stat.mode.toString(8)} ${readFileSync(path).toString("base64")}`;
  };
  walk(dir);
  return out;
}

/** Every rescue branch of `repo` and the files it holds. */
function rescuedFiles(repo: string): string[] {
  const branches = git(repo, ["for-each-ref", "--format=%(refname)", "refs/heads/otto-rescue/"]).split("\n").filter((b) => b !== "");
  return branches.flatMap((b) => git(repo, ["ls-tree", "-r", "--name-only", b]).split("\n").map((f) => `${b}:${f}`));
}

/** Work someone keeps outside the pool: a secret and notes nobody committed. */
function addOutsideWork(dir: string): void {
  writeFileSync(join(dir, ".env"), "SECRET=outside\n");
  mkdirSync(join(dir, "notes"), { recursive: true });
  writeFileSync(join(dir, "notes", "draft.txt"), "not committed anywhere\n");
}

/** Runs every pool command that could act on sidetick-1, with `leaseId` held on it; returns their results. */
function runEverything(fx: PoolFixture, leaseId: string) {
  const run = (sub: string, rest: string[]) => ({ sub, rest, result: pool(fx, sub, rest) });
  return [
    run("release", ["--identity", ID, "--lease", leaseId]),
    run("allocate", ["--identity", ID, "--json"]),
    run("allocate", ["--identity", ID, "--json"]),
    run("init", ["--identity", ID, "--size", "2"]),
    run("refresh", ["--identity", ID]),
    run("status", ["--identity", ID]),
    run("prune", ["--min-age", "0", "--include-ignored"]),
    run("doctor", ["--identity", ID]),
    run("doctor", ["--identity", ID, "--fix"]),
    run("doctor", ["--identity", ID, "--fix", "--force"]),
    run("init", ["--identity", ID, "--size", "1"]),
  ];
}

interface Foreign {
  fx: PoolFixture;
  leaseId: string;
  sidetick: string;
  /** Directories that must stay byte-for-byte as they are. */
  untouchable: string[];
  /** Repositories whose rescue branches must not hold the outside work. */
  repos: string[];
  why: RegExp;
}

// A pool of two with a lease on sidetick-1, which is then replaced by `replace` (run after the lease was taken).
function poolWithReplacedSidetick(replace: (sidetick: string, fx: PoolFixture) => Omit<Foreign, "fx" | "leaseId" | "sidetick">): Foreign {
  const fx = makePoolFixture({ "README.md": "pool\n" });
  poolOk(fx, "init", ["--identity", ID, "--size", "2"]);
  const got = allocate(fx, ID);
  expect(got.lease, describeRun(["allocate"], got.result)).toBeDefined();
  const sidetick = identityLayout(fx.poolRoot, ID).sidetickPath(1);
  expect(got.lease!.path).toBe(sidetick);
  return { fx, leaseId: got.lease!.leaseId, sidetick, ...replace(sidetick, fx) };
}

const cases: Record<string, () => Foreign> = {
  "a symlink to the sidetick moved outside the pool": () =>
    poolWithReplacedSidetick((sidetick, fx) => {
      const outside = join(fx.root, "outside");
      renameSync(sidetick, outside);
      addOutsideWork(outside);
      symlinkSync(outside, sidetick);
      return { untouchable: [outside], repos: [fx.repo], why: /symlink/ };
    }),
  "a symlink to an unrelated directory": () =>
    poolWithReplacedSidetick((sidetick, fx) => {
      const outside = join(fx.root, "unrelated");
      mkdirSync(outside);
      addOutsideWork(outside);
      rmSync(sidetick, { recursive: true });
      symlinkSync(outside, sidetick);
      return { untouchable: [outside], repos: [fx.repo], why: /symlink/ };
    }),
  "a .git file pointing at another repository's worktree": () =>
    poolWithReplacedSidetick((sidetick) => {
      const other = makeRepoWithOrigin({ "other.txt": "other\n" });
      const otherWorktree = join(other.root, "other-wt");
      git(other.repo, ["worktree", "add", "-q", "--detach", otherWorktree]);
      writeFileSync(join(sidetick, ".git"), readFileSync(join(otherWorktree, ".git")));
      addOutsideWork(sidetick);
      return { untouchable: [sidetick, other.root], repos: [other.repo], why: /\.git .*another repository|another repository/ };
    }),
  "a .git directory (a repository of its own)": () =>
    poolWithReplacedSidetick((sidetick) => {
      rmSync(join(sidetick, ".git"));
      git(sidetick, ["init", "-q", "-b", "main"]);
      addOutsideWork(sidetick);
      return { untouchable: [sidetick], repos: [sidetick], why: /\.git is a directory|repository of its own/ };
    }),
};

describe("a foreign sidetick is left exactly as it is", () => {
  it.each(Object.keys(cases))("%s: release, allocate, init, refresh, prune and doctor touch nothing and say why", (name) => {
    const f = cases[name]!();
    const before = f.untouchable.map(snapshot);
    const results = runEverything(f.fx, f.leaseId);
    const log = results.map((r) => describeRun(poolArgs(f.fx, r.sub, r.rest), r.result)).join("\n\n");

    expect(f.untouchable.map(snapshot), log).toEqual(before);
    expect(lstatSync(f.sidetick).isSymbolicLink() || lstatSync(f.sidetick).isDirectory()).toBe(true);
    for (const repo of [f.fx.repo, ...f.repos]) expect(rescuedFiles(repo).filter((x) => /\.env|draft\.txt/.test(x)), log).toEqual([]);

    const [release, first, second, init, refresh, status, prune, doctor, fix, force] = results.map((r) => r.result);
    // The lease is given back; the directory is not touched, and the output says why and what to do.
    expect(release!.code, log).toBe(0);
    expect(release!.stderr, log).toMatch(f.why);
    expect(JSON.parse(first!.stdout).path, log).toBe(identityLayout(f.fx.poolRoot, ID).sidetickPath(2));
    expect(second!.code, log).toBe(3);
    expect(second!.stderr, log).toMatch(f.why);
    expect(init!.stdout, log).toMatch(/kept .*sidetick-1/);
    expect(refresh!.code, log).toBe(0);
    expect(status!.stdout, log).toMatch(/sidetick-1 +foreign/);
    expect(status!.stdout, log).toMatch(new RegExp(`sidetick-1: .*(${f.why.source}).*move it away`));
    expect(prune!.code, log).toBe(0);
    for (const d of [doctor, fix, force]) {
      expect(d!.code, log).toBe(6);
      expect(d!.stdout, log).toMatch(new RegExp(`found foreign-directory: ${f.sidetick} .*(${f.why.source})`));
    }
    expect(sideticksOf(poolStatus(f.fx, ID), ID).find((s) => s.path === f.sidetick)?.state).toBe("foreign");
  });

  it("prune leaves a non-pool worktree replaced by a symlink to its moved directory", () => {
    const fx = makePoolFixture({ "README.md": "prune\n" });
    const worktree = join(fx.root, "finished");
    git(fx.repo, ["worktree", "add", "-q", "--detach", worktree]);
    const outside = join(fx.root, "moved-away");
    renameSync(worktree, outside);
    symlinkSync(outside, worktree);
    const before = snapshot(outside);
    const result = pool(fx, "prune", ["--min-age", "0", "--include-ignored"]);
    expect(result.code, describeRun(poolArgs(fx, "prune"), result)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`kept ${worktree} \\(.*symlink`));
    expect(snapshot(outside)).toEqual(before);
  });
});
