// `pool with` forwards signals to its command, returns its exit code, and keeps the sidetick until the command and all it started have ended.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CLI_BIN, runCli } from "../../../test-support/cli";
import { makeRepoWithOrigin } from "../../../test-support/git";
import {
  allocate,
  describeRun,
  groupAlive,
  makePoolFixture,
  POOL_ENV,
  type PoolFixture,
  poolArgs,
  poolOk,
  poolStatus,
  sideticksOf,
  trackPid,
  waitUntil,
} from "../../../test-support/pool-pressure";

describe("pool with and signals", () => {
  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("hands %s to the command and returns its exit code", async (signal) => {
    const { root, repo } = makeRepoWithOrigin();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home"), "--identity", "otto-cli"];
    expect(runCli(["pool", "init", ...common, "--size", "1"]).code).toBe(0);
    const ready = join(root, "ready");
    const got = join(root, "got");
    // The command says where it runs, then waits for a signal and exits 42 after noting which one it got.
    const script = `
      const fs = require("node:fs");
      for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, () => { fs.writeFileSync(${JSON.stringify(got)}, s); process.exit(42); });
      fs.writeFileSync(${JSON.stringify(ready)}, process.cwd());
      setInterval(() => {}, 1000);`;
    const wrapper = spawn(process.execPath, [CLI_BIN, "pool", "with", ...common, "--", process.execPath, "-e", script], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => wrapper.on("exit", (code) => resolve(code)));
    // The file exists a moment before its content does (writeFileSync is open, then write).
    for (let i = 0; i < 200 && !(existsSync(ready) && readFileSync(ready, "utf8") !== ""); i++) await sleep(50);
    expect(readFileSync(ready, "utf8")).toBe(join(root, "pool", "otto-cli", "sidetick-1"));

    wrapper.kill(signal);
    expect(await exited).toBe(42);
    expect(readFileSync(got, "utf8")).toBe(signal);
    const status = JSON.parse(runCli(["pool", "status", ...common, "--json"]).stdout);
    expect(status.identities[0].sideticks[0].state).toBe("free");
  });
});

// A wrapper killed by SIGKILL cannot hand anything on: what keeps the sidetick is the command's process group in the
// lease record, and any process working in the sidetick. Every wait below polls against a deadline (a bound).
describe("pool with after its wrapper is SIGKILLed", () => {
  const ID = "otto-cli";

  /** Starts `pool with -- CMD` (stdout piped, so the test sees what CMD prints) and waits until CMD printed `ready`. */
  async function startWith(fx: PoolFixture, cmd: string[], ready: string) {
    const wrapper = spawn(process.execPath, [CLI_BIN, ...poolArgs(fx, "with", ["--identity", ID, "--", ...cmd])], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...POOL_ENV } });
    let out = "";
    let err = "";
    wrapper.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    wrapper.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    // 'exit', not 'close': CMD's background job keeps the pipes open after the wrapper is gone.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => wrapper.on("exit", (code, signal) => resolve({ code, signal })));
    expect(await waitUntil(() => out.includes(ready), 20_000), `CMD never printed ${ready}: ${err}`).toBe(true);
    const shown = sideticksOf(poolStatus(fx, ID), ID)[0]!;
    // The group, as the lease records it (absent before the fix: then kill what the wrapper started by its pid).
    const group = shown.group ?? undefined;
    trackPid(-(group ?? wrapper.pid!));
    return { wrapper, exited, group, shown, stderr: () => err };
  }

  /** Polls `pool allocate` until it hands out a sidetick (or the bound passes); returns the last result. */
  async function allocateWithin(fx: PoolFixture, ms: number) {
    let last = allocate(fx, ID, ["--wait", "0"]);
    for (const end = Date.now() + ms; last.lease === undefined && Date.now() < end; last = allocate(fx, ID, ["--wait", "0"])) await sleep(100);
    return last;
  }

  it("the sidetick stays held while the command's process group lives, and comes free once it has ended", async () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", ID, "--size", "1"]);
    const run = await startWith(fx, ["/bin/sh", "-c", "sleep 1000 & echo started; wait"], "started");
    expect(run.shown.state).toBe("leased");

    process.kill(run.wrapper.pid!, "SIGKILL");
    expect((await run.exited).signal).toBe("SIGKILL");

    // Held, not handed on: the command and its background job still run in the sidetick.
    const refused = allocate(fx, ID, ["--wait", "0"]);
    expect(refused.result.code, describeRun(["allocate after SIGKILL of the wrapper"], refused.result)).toBe(3);
    expect(run.group, "the lease records the command's process group").toBeTypeOf("number");
    const group = run.group!;
    expect(groupAlive(group)).toBe(true);
    expect(refused.result.stderr).toMatch(new RegExp(`sidetick-1: its holder \\(pid ${run.wrapper.pid}\\) died, but its command's process group ${group} still runs`));
    const held = sideticksOf(poolStatus(fx, ID), ID)[0]!;
    expect(held).toMatchObject({ state: "leased", group });
    expect(held.note).toMatch(/kill -TERM -\d+/);

    // The test ends the group it caused (by its id); then the sidetick comes free by itself: no doctor, no TTL.
    process.kill(-group, "SIGKILL");
    const next = await allocateWithin(fx, 20_000);
    expect(next.lease?.path, describeRun(["allocate after the group ended"], next.result)).toBe(run.shown.path);
  });

  it("a process of another group working in the sidetick keeps it held after the command's group has ended", async () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", ID, "--size", "1"]);
    const run = await startWith(fx, ["/bin/sh", "-c", "echo started; exec sleep 1000"], "started");
    // A background job started elsewhere (its own session and group) that works in the sidetick.
    const other = spawn("sleep", ["1000"], { cwd: run.shown.path, stdio: "ignore", detached: true });
    trackPid(-other.pid!);

    process.kill(run.wrapper.pid!, "SIGKILL");
    await run.exited;
    if (run.group !== undefined) process.kill(-run.group, "SIGKILL");
    // Once the group is gone, what holds the sidetick is the other process (polled: the kill takes a moment).
    const note = new RegExp(`process\\(es\\) ${other.pid} work in it`);
    const seen = await waitUntil(() => note.test(sideticksOf(poolStatus(fx, ID), ID)[0]?.note ?? ""), 20_000);
    expect(seen, JSON.stringify(sideticksOf(poolStatus(fx, ID), ID)[0])).toBe(true);
    const refused = allocate(fx, ID, ["--wait", "0"]);
    expect(refused.result.code, describeRun(["allocate while another process works in the sidetick"], refused.result)).toBe(3);
    expect(refused.result.stderr).toMatch(note);

    process.kill(-other.pid!, "SIGKILL");
    const next = await allocateWithin(fx, 20_000);
    expect(next.lease?.path, describeRun(["allocate after the other process ended"], next.result)).toBe(run.shown.path);
  });

  it("a command that exits leaving a background job: the wrapper returns its code and the sidetick stays held until the job ends", async () => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", ID, "--size", "1"]);
    const pidFile = join(fx.root, "job.pid");
    const wrapper = spawnSync(process.execPath, [CLI_BIN, ...poolArgs(fx, "with", ["--identity", ID, "--", "/bin/sh", "-c", `sleep 1000 >/dev/null 2>&1 & echo $! > ${pidFile}; exit 7`])], {
      encoding: "utf8",
      env: { ...process.env, ...POOL_ENV },
      timeout: 60_000,
    });
    const job = Number(readFileSync(pidFile, "utf8"));
    trackPid(job);
    expect(wrapper.status, wrapper.stderr).toBe(7);
    expect(wrapper.stderr).toMatch(/sidetick-1 stays held: its command's process group \d+ still runs/);
    expect(allocate(fx, ID, ["--wait", "0"]).result.code).toBe(3);
    const group = sideticksOf(poolStatus(fx, ID), ID)[0]!.group!;
    process.kill(-group, "SIGKILL");
    const next = await allocateWithin(fx, 20_000);
    expect(next.lease?.path, describeRun(["allocate after the job ended"], next.result)).toBe(join(fx.poolRoot, ID, "sidetick-1"));
  });
});
