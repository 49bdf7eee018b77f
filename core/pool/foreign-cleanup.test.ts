// Other agents' clean-up: `git worktree prune`, a plain `git worktree remove`, another agent's `pool prune`, a deleted sidetick; nothing of the pool is lost.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, GIT_TEST_ENV } from "../../test-support/git";
import {
  allocate,
  type AllocateJson,
  type Cycle,
  describeRun,
  doctorFindings,
  expectConsistent,
  makePoolFixture,
  OCCUPANT_SCRIPT,
  overlaps,
  type PoolFixture,
  pool,
  poolArgs,
  poolAsync,
  poolOk,
  poolStatus,
  readRecords,
  sideticksOf,
  worktreeList,
  writeScript,
} from "../../test-support/pool-pressure";

/** Runs git without blocking the event loop; resolves with its exit status and output. */
function gitAsync(cwd: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_TEST_ENV } }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs git and returns its exit status and output instead of throwing (for commands that must fail). */
function gitTry(cwd: string, args: string[]): { status: number; output: string } {
  try {
    const out = execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_TEST_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, output: out };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** A leased sidetick with work in progress: one unpushed commit on a new branch and one uncommitted file. */
function leaseWithWork(fx: PoolFixture, identity: string): { lease: AllocateJson; commit: string } {
  const got = allocate(fx, identity, ["--branch", `work-${identity}`]);
  expect(got.lease, describeRun(["allocate --branch"], got.result)).toBeDefined();
  const lease = got.lease as AllocateJson;
  writeFileSync(join(lease.path, "feature.txt"), "committed, not pushed\n");
  git(lease.path, ["add", "feature.txt"]);
  git(lease.path, ["commit", "-q", "-m", "unpushed work"]);
  writeFileSync(join(lease.path, "notes.txt"), "uncommitted\n");
  return { lease, commit: git(lease.path, ["rev-parse", "HEAD"]) };
}

/** The work of `leaseWithWork` is all still there, untouched. */
function expectWorkIntact(work: { lease: AllocateJson; commit: string }): void {
  expect(existsSync(work.lease.path), `${work.lease.path} is gone`).toBe(true);
  expect(git(work.lease.path, ["rev-parse", "HEAD"])).toBe(work.commit);
  expect(readFileSync(join(work.lease.path, "notes.txt"), "utf8")).toBe("uncommitted\n");
  expect(readFileSync(join(work.lease.path, "feature.txt"), "utf8")).toBe("committed, not pushed\n");
}

/** The agent finishes: pushes its branch, drops its scratch file, and releases (so the sidetick is free, not dirty). */
function finishAndRelease(fx: PoolFixture, identity: string, work: { lease: AllocateJson; commit: string }): void {
  rmSync(join(work.lease.path, "notes.txt"));
  git(work.lease.path, ["push", "-q", "origin", `HEAD:refs/heads/${(work.lease.branch ?? "work").replace(/^refs\/heads\//, "")}`]);
  poolOk(fx, "release", ["--identity", identity, "--lease", work.lease.leaseId]);
}

/** Every sidetick of `identity` still registered with git, locked, marked, on disk. */
function expectRegisteredAndLocked(fx: PoolFixture, identity: string, size: number): string[] {
  const sideticks = sideticksOf(poolStatus(fx), identity);
  expect(sideticks).toHaveLength(size);
  const listed = new Map(worktreeList(fx.repo).map((w) => [w.path, w]));
  for (const s of sideticks) {
    expect(s.state === "missing" || s.state === "broken", JSON.stringify(s)).toBe(false);
    expect(existsSync(s.path), `${s.path} is gone`).toBe(true);
    expect(existsSync(join(s.path, ".zeta-pool-owner")), `${s.path} lost its marker`).toBe(true);
    expect(listed.get(s.path), `${s.path} is no longer a git worktree`).toBeDefined();
    expect(listed.get(s.path)?.locked, `${s.path} is not locked`).toBeDefined();
  }
  return sideticks.map((s) => s.path);
}

describe("other agents' clean-up", () => {
  it("`git worktree prune` (even --expire now) leaves every sidetick, idle or leased", () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", "mine", "--size", "2"]);
    const work = leaseWithWork(fx, "mine");
    const before = worktreeList(fx.repo);

    git(fx.repo, ["worktree", "prune"]);
    git(fx.repo, ["worktree", "prune", "--expire", "now"]);

    expect(worktreeList(fx.repo)).toEqual(before);
    expectRegisteredAndLocked(fx, "mine", 2);
    expectWorkIntact(work);
    finishAndRelease(fx, "mine", work);
    expectConsistent(fx, "mine", 2);
  });

  it("a plain `git worktree remove` (and a single --force) fails on a sidetick and leaves it whole", () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", "mine", "--size", "2"]);
    const work = leaseWithWork(fx, "mine");
    const paths = sideticksOf(poolStatus(fx), "mine").map((s) => s.path);
    expect(paths).toContain(work.lease.path);

    for (const path of paths) {
      for (const args of [["worktree", "remove", path], ["worktree", "remove", "--force", path]]) {
        const r = gitTry(fx.repo, args);
        expect(r.status, `git ${args.join(" ")} succeeded:\n${r.output}`).not.toBe(0);
        expect(r.output).toMatch(/locked/);
      }
    }
    expectRegisteredAndLocked(fx, "mine", 2);
    expectWorkIntact(work);
    finishAndRelease(fx, "mine", work);
    expectConsistent(fx, "mine", 2);
  });

  it("another agent's `pool prune` (its own pool root and state) never touches our sideticks or unsaved work", () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", "mine", "--size", "2"]);
    poolOk(fx, "init", ["--identity", "theirs", "--size", "1"]);
    const work = leaseWithWork(fx, "mine");

    // Non-pool worktrees another agent left: dirty, unpushed, locked by a human; prune must keep all three.
    const extra = join(fx.root, "loose");
    mkdirSync(extra);
    const dirty = join(extra, "dirty");
    git(fx.repo, ["worktree", "add", "-q", "--detach", dirty, "origin/main"]);
    writeFileSync(join(dirty, "wip.txt"), "not committed\n");
    const unpushed = join(extra, "unpushed");
    git(fx.repo, ["worktree", "add", "-q", "-b", "local-only", unpushed, "origin/main"]);
    writeFileSync(join(unpushed, "local.txt"), "local\n");
    git(unpushed, ["add", "local.txt"]);
    git(unpushed, ["commit", "-q", "-m", "local only"]);
    const lockedByHuman = join(extra, "locked");
    git(fx.repo, ["worktree", "add", "-q", "--detach", lockedByHuman, "origin/main"]);
    git(fx.repo, ["worktree", "lock", "--reason", "a human keeps this", lockedByHuman]);
    // One of the other identity's sideticks lost its git lock (someone ran `git worktree unlock`): its marker alone must protect it.
    const theirs = sideticksOf(poolStatus(fx), "theirs")[0]?.path ?? "";
    git(fx.repo, ["worktree", "unlock", theirs]);

    // The other agent: a different pool root and state directory, so none of our sideticks are "its" pool.
    const other: PoolFixture = { ...fx, poolRoot: join(fx.root, "other-pool"), home: join(fx.root, "other-home") };
    mkdirSync(other.home);
    const before = worktreeList(fx.repo);
    const dry = pool(other, "prune", ["--dry-run", "--json"]);
    expect(dry.code, describeRun(poolArgs(other, "prune", ["--dry-run", "--json"]), dry)).toBe(0);
    expect(worktreeList(fx.repo), "--dry-run changed the worktrees").toEqual(before);
    for (const sameRoot of [other, fx]) {
      const r = pool(sameRoot, "prune", ["--json"]);
      expect(r.code, describeRun(poolArgs(sameRoot, "prune", ["--json"]), r)).toBe(0);
    }

    const after = new Map(worktreeList(fx.repo).map((w) => [w.path, w]));
    for (const path of [dirty, unpushed, lockedByHuman, theirs]) {
      expect(after.has(path), `pool prune removed ${path}`).toBe(true);
      expect(existsSync(path), `pool prune deleted ${path}`).toBe(true);
    }
    expect(readFileSync(join(dirty, "wip.txt"), "utf8")).toBe("not committed\n");
    expect(git(fx.repo, ["rev-parse", "--verify", "-q", "local-only"])).toBe(git(unpushed, ["rev-parse", "HEAD"]));
    expect(existsSync(join(theirs, ".zeta-pool-owner"))).toBe(true);
    expectRegisteredAndLocked(fx, "mine", 2);
    expectWorkIntact(work);

    // Doctor puts the lost lock back; then both pools are whole.
    const fix = pool(fx, "doctor", ["--fix", "--json"]);
    expect(fix.code, describeRun(poolArgs(fx, "doctor", ["--fix", "--json"]), fix)).toBe(0);
    expectRegisteredAndLocked(fx, "theirs", 1);
    expectWorkIntact(work);
    finishAndRelease(fx, "mine", work);
    expectConsistent(fx, "theirs", 1);
    expectConsistent(fx, "mine", 2);
  });

  it("a deleted sidetick directory is reported and `pool doctor --fix` restores it, even after git forgot it", () => {
    const fx = makePoolFixture();
    const size = 3;
    poolOk(fx, "init", ["--identity", "mine", "--size", String(size)]);
    const paths = sideticksOf(poolStatus(fx), "mine").map((s) => s.path);
    const [gone, forgotten] = paths;
    if (gone === undefined || forgotten === undefined) throw new Error("pool has fewer than 2 sideticks");

    // One directory simply deleted (git still has it, locked); another deleted and forgotten by git entirely.
    rmSync(gone, { recursive: true, force: true });
    rmSync(forgotten, { recursive: true, force: true });
    git(fx.repo, ["worktree", "unlock", forgotten]);
    git(fx.repo, ["worktree", "prune"]);
    expect(worktreeList(fx.repo).map((w) => w.path)).not.toContain(forgotten);

    const states = new Map(sideticksOf(poolStatus(fx), "mine").map((s) => [s.path, s.state]));
    expect(states.get(gone), JSON.stringify([...states])).toBe("missing");
    expect(["missing", "broken"], JSON.stringify([...states])).toContain(states.get(forgotten));
    const report = pool(fx, "doctor", ["--json"]);
    const findings = doctorFindings(JSON.parse(report.stdout || "null"));
    expect(JSON.stringify(findings), describeRun(poolArgs(fx, "doctor", ["--json"]), report)).toContain("sidetick");
    expect(findings.length).toBeGreaterThanOrEqual(2);
    // Reporting changes nothing.
    expect(existsSync(gone)).toBe(false);

    const fix = pool(fx, "doctor", ["--fix", "--json"]);
    expect(fix.code, describeRun(poolArgs(fx, "doctor", ["--fix", "--json"]), fix)).toBe(0);
    expect(expectRegisteredAndLocked(fx, "mine", size).sort()).toEqual([...paths].sort());
    expectConsistent(fx, "mine", size);
  });

  it("clean-up storms while agents work: worktree prune/repair/remove, gc, other agents' prune and doctor --fix, all at once", async () => {
    const fx = makePoolFixture();
    const identity = "busy";
    const size = 2;
    poolOk(fx, "init", ["--identity", identity, "--size", String(size)]);
    const paths = sideticksOf(poolStatus(fx), identity).map((s) => s.path);
    const logDir = join(fx.root, "log");
    mkdirSync(logDir);
    const script = writeScript(fx.root, "occupant.cjs", OCCUPANT_SCRIPT);
    const other: PoolFixture = { ...fx, poolRoot: join(fx.root, "other-pool"), home: join(fx.root, "other-home") };
    mkdirSync(other.home);

    const failures: string[] = [];
    let working = true;
    const workers = Array.from({ length: 6 }, async (_, w) => {
      for (let c = 0; c < 3; c++) {
        const rest = ["--identity", identity, "--wait", "120", "--", process.execPath, script, logDir, `w${w}c${c}`, String(80 + ((w * 31 + c * 17) % 90))];
        const r = await poolAsync(fx, "with", rest, 150_000);
        if (r.code !== 0) failures.push(describeRun(poolArgs(fx, "with", rest), r));
      }
    });
    let janitorRounds = 0;
    const janitor = (async () => {
      while (working) {
        janitorRounds++;
        const maintenance = [["worktree", "prune"], ["worktree", "prune", "--expire", "now"], ["worktree", "repair"], ["gc", "--quiet", "--prune=now"]];
        for (const args of maintenance) {
          const r = await gitAsync(fx.repo, args);
          if (r.status !== 0) failures.push(`git ${args.join(" ")}: ${r.output}`);
        }
        for (const path of paths) {
          const r = await gitAsync(fx.repo, ["worktree", "remove", path]);
          if (r.status === 0) failures.push(`git worktree remove ${path} succeeded`);
        }
        for (const [who, args] of [[other, ["--json"]], [fx, ["--json"]]] as const) {
          const r = await poolAsync(who, "prune", [...args]);
          if (r.code !== 0) failures.push(describeRun(poolArgs(who, "prune", [...args]), r));
        }
        const doc = await poolAsync(fx, "doctor", ["--fix", "--json"]);
        if (doc.code !== 0) failures.push(describeRun(poolArgs(fx, "doctor", ["--fix", "--json"]), doc));
      }
    })();
    await Promise.all(workers);
    working = false;
    await janitor;

    expect(readRecords<unknown>(logDir, "collision")).toEqual([]);
    expect(readRecords<unknown>(logDir, "problem")).toEqual([]);
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(janitorRounds).toBeGreaterThan(1);
    const done = readRecords<Cycle>(logDir, "cycle");
    expect(done).toHaveLength(18);
    expect(overlaps(done)).toEqual([]);
    for (const c of done) expect(paths).toContain(c.sidetick);
    expect(expectRegisteredAndLocked(fx, identity, size).sort()).toEqual([...paths].sort());
    expectConsistent(fx, identity, size);
  }, 170_000);
});
