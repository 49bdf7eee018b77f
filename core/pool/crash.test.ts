// Crashes: SIGKILL the `pool with` wrapper (its command keeps the sidetick until it ends), kill a lease's holder pid, SIGKILL `pool allocate` at many moments; the pool stays consistent.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git } from "../../test-support/git";
import {
  allocate,
  describeRun,
  expectConsistent,
  groupAlive,
  isRunning,
  killQuietly,
  makePoolFixture,
  type PoolFixture,
  poolArgs,
  pool,
  poolAsync,
  poolOk,
  poolStatus,
  sideticksOf,
  sleep,
  spawnHolder,
  spawnPool,
  trackPid,
  waitUntil,
  writeScript,
} from "../../test-support/pool-pressure";

/** Iterations of the kill-at-random-moments loops (OTTO_POOL_CRASH_ITERATIONS overrides). */
const ITERATIONS = Number(process.env.OTTO_POOL_CRASH_ITERATIONS ?? 24);

/** A deterministic pseudo-random sequence, so a failing run can be repeated (OTTO_POOL_CRASH_SEED). */
function makeRandom(seed = Number(process.env.OTTO_POOL_CRASH_SEED ?? 20260516)): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** The command run by `pool with` in these tests: writes its pid and "ready" outside the sidetick, then lives for `ms`. */
const LINGER_SCRIPT = String.raw`
const fs = require("node:fs");
const [readyFile, ms] = process.argv.slice(2);
fs.writeFileSync(readyFile, JSON.stringify({ pid: process.pid, cwd: process.cwd(), path: process.env.OTTO_POOL_PATH, lease: process.env.OTTO_POOL_LEASE }));
setTimeout(() => {}, Number(ms));
`;

describe("pool crash safety", () => {
  it("SIGKILL of the `pool with` wrapper: the sidetick is not handed on while its command runs, and comes free once it ends", async () => {
    const fx = makePoolFixture();
    const identity = "crash";
    poolOk(fx, "init", ["--identity", identity, "--size", "1"]);
    const script = writeScript(fx.root, "linger.cjs", LINGER_SCRIPT);
    const ready = join(fx.root, "ready.json");

    const wrapper = spawnPool(fx, "with", ["--identity", identity, "--", process.execPath, script, ready, "60000"]);
    const started = await waitUntil(() => existsSync(ready) && readFileSync(ready, "utf8").length > 0, 20_000);
    expect(started, `the command never started: ${wrapper.stderr()}`).toBe(true);
    const inside = JSON.parse(readFileSync(ready, "utf8")) as { pid: number; cwd: string; path: string; lease: string };
    // The command leads its own process group (the test ends it by that id).
    trackPid(-inside.pid);

    // While the command runs the only sidetick is taken.
    const busy = allocate(fx, identity, ["--wait", "0"]);
    expect(busy.result.code, describeRun(["allocate while `with` runs"], busy.result)).toBe(3);
    expect(sideticksOf(poolStatus(fx), identity)[0]).toMatchObject({ state: "leased", group: inside.pid });

    // 'exit', not 'close': the command still holds the pipes it inherited from the wrapper.
    const exited = new Promise<NodeJS.Signals | null>((resolve) => wrapper.child.on("exit", (_code, signal) => resolve(signal)));
    process.kill(wrapper.pid, "SIGKILL");
    expect(await exited).toBe("SIGKILL");

    // The command still runs in the sidetick: nobody else may get it.
    expect(isRunning(inside.pid)).toBe(true);
    const held = allocate(fx, identity, ["--wait", "0"]);
    expect(held.result.code, describeRun(["allocate right after SIGKILL of the wrapper"], held.result)).toBe(3);

    // Once the command has ended the sidetick is free: no doctor, no TTL to run out.
    process.kill(-inside.pid, "SIGKILL");
    let next = allocate(fx, identity, ["--wait", "0"]);
    for (const end = Date.now() + 20_000; next.lease === undefined && Date.now() < end; next = allocate(fx, identity, ["--wait", "0"])) await sleep(100);
    expect(next.lease, describeRun(["allocate after the command ended"], next.result)).toBeDefined();
    expect(next.lease?.path).toBe(inside.path);
    expect(next.lease?.leaseId).not.toBe(inside.lease);
    poolOk(fx, "release", ["--identity", identity, "--lease", next.lease?.leaseId ?? ""]);
    expectConsistent(fx, identity, 1);
  }, 60_000);

  it("a lease whose holder pid is killed is free again", async () => {
    const fx = makePoolFixture();
    const identity = "holder";
    poolOk(fx, "init", ["--identity", identity, "--size", "1"]);
    const holder = spawnHolder();
    const first = allocate(fx, identity, ["--holder-pid", String(holder.pid)]);
    expect(first.lease, describeRun(["allocate --holder-pid"], first.result)).toBeDefined();

    const leased = sideticksOf(poolStatus(fx), identity)[0];
    expect(leased?.state).toBe("leased");
    expect(leased?.holderPid).toBe(holder.pid);
    expect(leased?.leaseId).toBe(first.lease?.leaseId);
    // The lease outlives the `allocate` process: its holder still lives, so nothing is free.
    expect(allocate(fx, identity, ["--wait", "0"]).result.code).toBe(3);

    holder.child.kill("SIGKILL");
    await holder.exited; // reaped: the pid no longer exists

    const after = sideticksOf(poolStatus(fx), identity)[0];
    expect(after?.state, JSON.stringify(after)).toBe("free");
    const second = allocate(fx, identity, ["--wait", "0"]);
    expect(second.lease, describeRun(["allocate after the holder died"], second.result)).toBeDefined();
    expect(second.lease?.path).toBe(first.lease?.path);
    poolOk(fx, "release", ["--identity", identity, "--lease", second.lease?.leaseId ?? ""]);
    // Releasing the dead holder's old lease now must not free the new holder's sidetick by mistake.
    const third = allocate(fx, identity, ["--wait", "0"]);
    expect(third.lease).toBeDefined();
    const stale = pool(fx, "release", ["--identity", identity, "--lease", first.lease?.leaseId ?? ""]);
    expect(sideticksOf(poolStatus(fx), identity)[0]?.state, describeRun(["release of a stale lease"], stale)).toBe("leased");
    poolOk(fx, "release", ["--identity", identity, "--lease", third.lease?.leaseId ?? ""]);
    expectConsistent(fx, identity, 1);
  }, 60_000);

  it(`SIGKILL during \`pool allocate\` at ${ITERATIONS} random moments leaves the pool consistent`, async () => {
    const fx = makePoolFixture();
    const identity = "killed";
    const size = 2;
    poolOk(fx, "init", ["--identity", identity, "--size", String(size)]);
    const random = makeRandom();

    // How long an allocate takes here, so the kills land before, inside and after its critical section.
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) {
      const got = allocate(fx, identity);
      expect(got.lease, describeRun(["allocate"], got.result)).toBeDefined();
      poolOk(fx, "release", ["--identity", identity, "--lease", got.lease?.leaseId ?? ""]);
    }
    const allocateMs = Math.max(50, (Date.now() - t0) / 6);

    const outcomes = { completed: 0, killed: 0, other: [] as string[] };
    const groups: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const holder = spawnHolder();
      const proc = spawnPool(fx, "allocate", ["--identity", identity, "--holder-pid", String(holder.pid), "--wait", "5", "--json"]);
      groups.push(proc.pid);
      await sleep(random() * allocateMs * 1.5);
      // Half the time only the CLI process dies (its git children run on), half the time its whole group.
      killQuietly(i % 2 === 0 ? proc.pid : -proc.pid, "SIGKILL");
      const exit = await proc.exited;
      if (exit.signal === "SIGKILL") outcomes.killed++;
      else if (exit.code === 0) outcomes.completed++;
      else outcomes.other.push(`exit ${exit.code}: ${proc.stderr()}`);
      holder.child.kill("SIGKILL");
      await holder.exited;
      // Every few kills, an ordinary agent must still get a sidetick.
      if (i % 6 === 5) {
        const rest = ["--identity", identity, "--wait", "10", "--json"];
        const mid = await poolAsync(fx, "allocate", rest);
        expect(mid.code, describeRun(poolArgs(fx, "allocate", rest), mid)).toBe(0);
        poolOk(fx, "release", ["--identity", identity, "--lease", (JSON.parse(mid.stdout) as { leaseId: string }).leaseId]);
      }
    }
    console.info(`kill during allocate: ${JSON.stringify({ ...outcomes, allocateMs: Math.round(allocateMs) })}`);
    expect(outcomes.other).toEqual([]);
    // Orphaned git processes of the killed CLIs finish on their own; then the pool must be whole.
    expect(await waitUntil(() => groups.every((g) => !groupAlive(g)), 20_000)).toBe(true);
    expectConsistent(fx, identity, size);
  }, 150_000);

  it(`SIGKILL of \`pool with\` at ${Math.ceil(ITERATIONS / 2)} random moments leaves the pool consistent`, async () => {
    const fx = makePoolFixture();
    const identity = "wrapped";
    const size = 2;
    poolOk(fx, "init", ["--identity", identity, "--size", String(size)]);
    const script = writeScript(fx.root, "linger.cjs", LINGER_SCRIPT);
    const random = makeRandom(7);
    const groups: number[] = [];
    const other: string[] = [];
    for (let i = 0; i < Math.ceil(ITERATIONS / 2); i++) {
      const ready = join(fx.root, `ready-${i}.json`);
      const proc = spawnPool(fx, "with", ["--identity", identity, "--wait", "10", "--", process.execPath, script, ready, "300"]);
      groups.push(proc.pid);
      await sleep(random() * 600);
      killQuietly(i % 2 === 0 ? proc.pid : -proc.pid, "SIGKILL");
      const exit = await proc.exited;
      if (exit.signal !== "SIGKILL" && exit.code !== 0) other.push(`exit ${exit.code}: ${proc.stderr()}`);
    }
    expect(other).toEqual([]);
    expect(await waitUntil(() => groups.every((g) => !groupAlive(g)), 20_000)).toBe(true);
    // A command whose wrapper was killed runs its 300 ms to the end (its sidetick held meanwhile), then frees it.
    const allFree = () => sideticksOf(poolStatus(fx), identity).every((s) => s.state === "free");
    expect(await waitUntil(allFree, 20_000), JSON.stringify(sideticksOf(poolStatus(fx), identity))).toBe(true);
    expectConsistent(fx, identity, size);
  }, 120_000);

  it("SIGKILL during `pool release`, `pool init` and repairs of a deleted sidetick: `doctor --fix` makes the pool whole", async () => {
    // Enough files that a rebuilding `git worktree add` takes a while, so kills land inside its checkout too.
    const files = Object.fromEntries(Array.from({ length: 1500 }, (_, k) => [`src/d${k % 30}/f${k}.txt`, `file ${k}\n`]));
    const fx = makePoolFixture(files);
    const identity = "rebuilt";
    const size = 2;
    poolOk(fx, "init", ["--identity", identity, "--size", String(size)]);
    const paths = sideticksOf(poolStatus(fx), identity).map((s) => s.path);
    const random = makeRandom(99);
    const groups: number[] = [];
    const other: string[] = [];
    const rounds = Math.max(6, Math.ceil(ITERATIONS / 2));

    for (let i = 0; i < rounds; i++) {
      // Release killed half-way: the lease's holder still lives, so after the kill it must be either held or free, never half.
      const holder = spawnHolder();
      const got = allocate(fx, identity, ["--holder-pid", String(holder.pid)]);
      expect(got.lease, describeRun(["allocate"], got.result)).toBeDefined();
      const rel = spawnPool(fx, "release", ["--identity", identity, "--lease", got.lease?.leaseId ?? ""]);
      groups.push(rel.pid);
      await sleep(random() * 250);
      killQuietly(i % 2 === 0 ? rel.pid : -rel.pid, "SIGKILL");
      await rel.exited;
      // Orphaned git children finish (or are gone) before the next step, so what follows meets only what they left.
      expect(await waitUntil(() => !groupAlive(rel.pid), 20_000)).toBe(true);
      const state = sideticksOf(poolStatus(fx), identity).find((s) => s.path === got.lease?.path)?.state;
      expect(["leased", "free"], `after a killed release: ${state}`).toContain(state);
      holder.child.kill("SIGKILL");
      await holder.exited;

      // A sidetick directory vanished; whoever repairs it (init, an allocate, doctor --fix) is killed while rebuilding.
      const victim = paths[i % paths.length] ?? "";
      rmSync(victim, { recursive: true, force: true });
      const h2 = spawnHolder();
      const repairs: [string, string[]][] = [
        ["init", ["--identity", identity, "--size", String(size)]],
        ["allocate", ["--identity", identity, "--holder-pid", String(h2.pid), "--wait", "5"]],
        ["doctor", ["--fix", "--json"]],
      ];
      const [sub, rest] = repairs[i % repairs.length] ?? repairs[0];
      const repair = spawnPool(fx, sub, rest);
      groups.push(repair.pid);
      await sleep(random() * 900);
      killQuietly(i % 4 < 2 ? repair.pid : -repair.pid, "SIGKILL");
      const exit = await repair.exited;
      if (exit.signal !== "SIGKILL" && exit.code !== 0) other.push(`${sub} exit ${exit.code}: ${repair.stderr()}`);
      expect(await waitUntil(() => !groupAlive(repair.pid), 20_000)).toBe(true);
      h2.child.kill("SIGKILL");
      await h2.exited;
    }
    expect(other).toEqual([]);
    expect(await waitUntil(() => groups.every((g) => !groupAlive(g)), 20_000)).toBe(true);
    const fix = pool(fx, "doctor", ["--fix", "--json"]);
    expect(fix.code, describeRun(poolArgs(fx, "doctor", ["--fix", "--json"]), fix)).toBe(0);
    expect(sideticksOf(poolStatus(fx), identity).map((s) => s.path).sort()).toEqual([...paths].sort());
    expectConsistent(fx, identity, size);
  }, 150_000);

  describe("SIGKILL of a `pool allocate` group while its git holds a sidetick's index.lock", () => {
    const files = Object.fromEntries(Array.from({ length: 3000 }, (_, k) => [`src/d${k % 30}/f${k}.txt`, `file ${k}\n`]));

    /** Spawns `pool allocate` in its own group, waits until some worktree's index.lock exists, kills the group, waits until all of it is gone. */
    async function killWhileIndexLocked(fx: PoolFixture, identity: string): Promise<string[]> {
      const adminRoot = join(fx.repo, ".git", "worktrees");
      const locks = () => (existsSync(adminRoot) ? readdirSync(adminRoot).map((d) => join(adminRoot, d, "index.lock")).filter((f) => existsSync(f)) : []);
      const proc = spawnPool(fx, "allocate", ["--identity", identity, "--json"]);
      let seen: string[] = [];
      const end = Date.now() + 30_000;
      while (seen.length === 0 && Date.now() < end) {
        seen = locks();
        if (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      killQuietly(-proc.pid, "SIGKILL");
      await proc.exited;
      expect(seen, `no index.lock appeared while allocate ran: ${proc.stderr()}`).not.toEqual([]);
      expect(await waitUntil(() => !groupAlive(proc.pid), 20_000), "the killed group never went away").toBe(true);
      return locks();
    }

    it("while rebuilding a deleted sidetick: the next allocate still gets it", async () => {
      const fx = makePoolFixture(files);
      const identity = "relock";
      poolOk(fx, "init", ["--identity", identity, "--size", "1"]);
      const path = sideticksOf(poolStatus(fx), identity)[0]?.path ?? "";
      rmSync(path, { recursive: true, force: true });
      const left = await killWhileIndexLocked(fx, identity);
      if (left.length > 0) console.info(`stale lock left by the killed git: ${left.join(", ")}`);

      const next = allocate(fx, identity, ["--wait", "0"]);
      expect(next.lease, describeRun(poolArgs(fx, "allocate", ["--identity", identity, "--wait", "0", "--json"]), next.result)).toBeDefined();
      poolOk(fx, "release", ["--identity", identity, "--lease", next.lease?.leaseId ?? ""]);
      expectConsistent(fx, identity, 1);
    }, 90_000);

    it("while resetting a sidetick that held uncommitted work: the work is recoverable and the next allocate gets it", async () => {
      const fx = makePoolFixture(files);
      const identity = "rescue";
      poolOk(fx, "init", ["--identity", identity, "--size", "1"]);
      const first = allocate(fx, identity);
      expect(first.lease, describeRun(["allocate"], first.result)).toBeDefined();
      const path = first.lease?.path ?? "";
      // The holder edits every file and leaves without committing.
      for (const name of Object.keys(files)) writeFileSync(join(path, name), "edited by the previous holder\n");
      poolOk(fx, "release", ["--identity", identity, "--lease", first.lease?.leaseId ?? ""]);

      const left = await killWhileIndexLocked(fx, identity);
      if (left.length > 0) console.info(`stale lock left by the killed git: ${left.join(", ")}`);

      const next = allocate(fx, identity, ["--wait", "0"]);
      expect(next.lease, describeRun(poolArgs(fx, "allocate", ["--identity", identity, "--wait", "0", "--json"]), next.result)).toBeDefined();
      // The edits live on in some branch (a rescue branch), whatever moment the kill hit.
      const probe = "src/d0/f0.txt";
      const heads = git(fx.repo, ["for-each-ref", "--format=%(refname)", "refs/heads/"]).split("\n").filter((r) => r !== "");
      const saved = heads.filter((ref) => {
        try {
          return git(fx.repo, ["show", `${ref}:${probe}`]) === "edited by the previous holder";
        } catch {
          return false;
        }
      });
      expect(saved, `no branch holds the previous holder's edits; branches: ${heads.join(", ")}`).not.toEqual([]);
      poolOk(fx, "release", ["--identity", identity, "--lease", next.lease?.leaseId ?? ""]);
      expectConsistent(fx, identity, 1);
    }, 90_000);
  });
});
