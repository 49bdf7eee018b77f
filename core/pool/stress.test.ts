// Stress: many real `otto-tray pool with` / `allocate`+`release` processes against a small pool at once; each proves it is alone in its sidetick.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import {
  allocate,
  type Cycle,
  describeRun,
  fsckClean,
  makePoolFixture,
  OCCUPANT_SCRIPT,
  overlaps,
  type PoolFixture,
  POOL_ENV,
  poolArgs,
  poolAsync,
  poolOk,
  poolStatus,
  readRecords,
  sideticksOf,
  worktreeList,
  writeScript,
} from "../../test-support/pool-pressure";
import { type CliResult, runCliAsync } from "../../test-support/cli";
import { git } from "../../test-support/git";

function expectAllOk(results: { args: string[]; result: CliResult }[]): void {
  const failed = results.filter((r) => r.result.code !== 0).map((r) => describeRun(r.args, r.result));
  expect(failed, failed.join("\n\n")).toEqual([]);
}

/** After the storm: every sidetick free and unleased, all still registered and locked with git, fsck clean. */
function expectPoolAtRest(fx: PoolFixture, identity: string, size: number): string[] {
  const sideticks = sideticksOf(poolStatus(fx), identity);
  expect(sideticks).toHaveLength(size);
  for (const s of sideticks) {
    expect(s.state, JSON.stringify(s)).toBe("free");
    expect(s.leaseId ?? null, JSON.stringify(s)).toBeNull();
    expect(existsSync(join(s.path, ".stress-occupant")), `${s.path} still has an occupant marker`).toBe(false);
  }
  const listed = new Map(worktreeList(fx.repo).map((w) => [w.path, w]));
  for (const s of sideticks) {
    const entry = listed.get(s.path);
    expect(entry, `${s.path} is not in git worktree list`).toBeDefined();
    expect(entry?.locked, `${s.path} is not locked`).toBeDefined();
    expect(entry?.prunable, `${s.path} is prunable`).toBeUndefined();
  }
  fsckClean(fx.repo);
  return sideticks.map((s) => s.path);
}

/** Runs node with `args` without blocking the event loop (other workers keep going). */
function runNode(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
    });
  });
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

describe("pool under pressure", () => {
  it("10 processes × 3 `pool with` cycles on a pool of 2: zero collisions, zero failures, all free afterwards", async () => {
    const fx = makePoolFixture();
    const identity = "stress";
    const size = 2;
    poolOk(fx, "init", ["--identity", identity, "--size", String(size)]);
    const logDir = join(fx.root, "log");
    mkdirSync(logDir);
    const script = writeScript(fx.root, "occupant.cjs", OCCUPANT_SCRIPT);

    const workers = 10;
    const cycles = 3;
    const results: { args: string[]; result: CliResult }[] = [];
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let c = 0; c < cycles; c++) {
          const tag = `w${w}c${c}`;
          const holdMs = String(60 + ((w * 37 + c * 53) % 120));
          const rest = ["--identity", identity, "--wait", "120", "--", process.execPath, script, logDir, tag, holdMs];
          const result = await poolAsync(fx, "with", rest, 150_000);
          results.push({ args: poolArgs(fx, "with", rest), result });
        }
      }),
    );

    const collisions = readRecords<unknown>(logDir, "collision");
    const problems = readRecords<unknown>(logDir, "problem");
    expect(collisions, JSON.stringify(collisions)).toEqual([]);
    expect(problems, JSON.stringify(problems)).toEqual([]);
    expectAllOk(results);
    const done = readRecords<Cycle>(logDir, "cycle");
    expect(done).toHaveLength(workers * cycles);
    expect(overlaps(done)).toEqual([]);

    const paths = expectPoolAtRest(fx, identity, size);
    // Every cycle ran in one of the pool's own sideticks, under the pool root, and leases were never reused.
    for (const c of done) expect(paths, `cycle ran in ${c.sidetick}`).toContain(c.sidetick);
    for (const p of paths) expect(isInside(join(fx.poolRoot, identity), p), p).toBe(true);
    expect(new Set(done.map((c) => c.lease)).size).toBe(done.length);
  }, 170_000);

  it("two identities at once, mixing `pool with` and allocate/release clients: no collisions, no cross-identity hand-out", async () => {
    const fx = makePoolFixture();
    const identities = ["alpha", "beta"];
    const size = 2;
    for (const id of identities) poolOk(fx, "init", ["--identity", id, "--size", String(size)]);
    const logDir = join(fx.root, "log");
    mkdirSync(logDir);
    const script = writeScript(fx.root, "occupant.cjs", OCCUPANT_SCRIPT);

    const results: { args: string[]; result: CliResult }[] = [];
    const allocated: { identity: string; path: string }[] = [];
    const run = async (sub: string, rest: string[]) => {
      const result = await poolAsync(fx, sub, rest, 150_000);
      results.push({ args: poolArgs(fx, sub, rest), result });
      return result;
    };
    await Promise.all(
      identities.flatMap((identity, i) =>
        Array.from({ length: 4 }, async (_, w) => {
          for (let c = 0; c < 2; c++) {
            const tag = `${identity}-w${w}c${c}`;
            const holdMs = String(50 + ((w * 41 + c * 29 + i * 7) % 100));
            if (w % 2 === 0) {
              await run("with", ["--identity", identity, "--wait", "120", "--", process.execPath, script, logDir, tag, holdMs]);
              continue;
            }
            // An agent's way: allocate (lease outlives the process), work there, release by lease id.
            const got = await run("allocate", ["--identity", identity, "--wait", "120", "--json"]);
            if (got.code !== 0) return;
            const lease = JSON.parse(got.stdout) as { path: string; leaseId: string };
            allocated.push({ identity, path: lease.path });
            const work = await runNode([script, logDir, tag, holdMs, lease.path]);
            if (work.code !== 0) results.push({ args: ["(occupant)", tag], result: work });
            await run("release", ["--identity", identity, "--lease", lease.leaseId]);
          }
        }),
      ),
    );

    expect(readRecords<unknown>(logDir, "collision")).toEqual([]);
    expect(readRecords<unknown>(logDir, "problem")).toEqual([]);
    expectAllOk(results);
    const done = readRecords<Cycle>(logDir, "cycle");
    expect(done).toHaveLength(identities.length * 4 * 2);
    expect(overlaps(done)).toEqual([]);
    for (const id of identities) {
      const paths = expectPoolAtRest(fx, id, size);
      for (const a of allocated.filter((x) => x.identity === id)) expect(paths).toContain(a.path);
      for (const c of done.filter((x) => x.tag.startsWith(`${id}-`))) expect(paths, `${c.tag} ran in ${c.sidetick}`).toContain(c.sidetick);
    }
    // After all that, each identity can still take its whole pool at once, and not one more.
    for (const id of identities) {
      const leases = Array.from({ length: size }, () => allocate(fx, id));
      for (const l of leases) expect(l.lease, describeRun(["allocate", id], l.result)).toBeDefined();
      expect(new Set(leases.map((l) => l.lease?.path)).size).toBe(size);
      const extra = allocate(fx, id, ["--wait", "0"]);
      expect(extra.result.code, describeRun(["allocate", id, "--wait", "0"], extra.result)).toBe(3);
      for (const l of leases) poolOk(fx, "release", ["--identity", id, "--lease", l.lease?.leaseId ?? ""]);
    }
  }, 170_000);

  it("6 processes × 2 `pool with --branch topic` cycles at once: every holder gets its own new branch, none reused or moved", async () => {
    const fx = makePoolFixture();
    const identity = "brancher";
    poolOk(fx, "init", ["--identity", identity, "--size", "2"]);
    // Someone already has `topic`, with a commit of their own: it must never be handed out or moved.
    git(fx.repo, ["branch", "topic", "origin/main"]);
    const mainWorktree = fx.repo;
    git(mainWorktree, ["checkout", "-q", "topic"]);
    writeFileSync(join(mainWorktree, "theirs.txt"), "their work\n");
    git(mainWorktree, ["add", "theirs.txt"]);
    git(mainWorktree, ["commit", "-q", "-m", "their topic work"]);
    git(mainWorktree, ["checkout", "-q", "main"]);
    const theirTopic = git(fx.repo, ["rev-parse", "topic"]);
    const base = git(fx.repo, ["rev-parse", "origin/main"]);
    const logDir = join(fx.root, "log");
    mkdirSync(logDir);
    const script = writeScript(fx.root, "occupant.cjs", OCCUPANT_SCRIPT);

    const results: { args: string[]; result: CliResult }[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let c = 0; c < 2; c++) {
          const rest = ["--identity", identity, "--branch", "topic", "--wait", "120", "--", process.execPath, script, logDir, `w${w}c${c}`, "40"];
          const result = await runCliAsync(poolArgs(fx, "with", rest), { env: { ...POOL_ENV, OCCUPANT_RECORD_BRANCH: "1" }, timeoutMs: 150_000 });
          results.push({ args: poolArgs(fx, "with", rest), result });
        }
      }),
    );
    expect(readRecords<unknown>(logDir, "collision")).toEqual([]);
    expect(readRecords<unknown>(logDir, "problem")).toEqual([]);
    expectAllOk(results);
    const done = readRecords<Cycle>(logDir, "cycle");
    expect(done).toHaveLength(12);
    expect(overlaps(done)).toEqual([]);
    const branches = done.map((c) => c.branch);
    expect(branches.every((b) => typeof b === "string" && b !== "topic"), JSON.stringify(branches)).toBe(true);
    expect(new Set(branches).size, JSON.stringify(branches)).toBe(12);
    for (const b of branches) expect(git(fx.repo, ["rev-parse", `refs/heads/${b}`]), `${b} does not start at the base`).toBe(base);
    expect(git(fx.repo, ["rev-parse", "topic"]), "the existing topic branch moved").toBe(theirTopic);
    expectPoolAtRest(fx, identity, 2);
  }, 170_000);

  it("agents starting at once: 4 concurrent `pool init` of one identity and 3 identities initialising together", async () => {
    const fx = makePoolFixture();
    const rest = (id: string) => ["--identity", id, "--size", "3"];
    const runs = await Promise.all([
      ...Array.from({ length: 4 }, () => poolAsync(fx, "init", rest("shared"))),
      ...["one", "two", "three"].map((id) => poolAsync(fx, "init", rest(id))),
      // An allocate racing the inits of its own identity.
      poolAsync(fx, "allocate", ["--identity", "shared", "--wait", "60", "--json"]),
    ]);
    const failed = runs.filter((r) => r.code !== 0).map((r) => describeRun(["(concurrent init/allocate)"], r));
    expect(failed, failed.join("\n\n")).toEqual([]);
    const lease = JSON.parse(runs[runs.length - 1]?.stdout ?? "{}") as { leaseId: string };
    poolOk(fx, "release", ["--identity", "shared", "--lease", lease.leaseId]);
    for (const id of ["shared", "one", "two", "three"]) {
      const paths = expectPoolAtRest(fx, id, 3);
      expect(new Set(paths).size).toBe(3);
    }
    // Exactly 4 × 3 sideticks plus the main worktree: nobody added a duplicate.
    expect(worktreeList(fx.repo)).toHaveLength(13);
  }, 120_000);
});
