// One holder per sidetick, as agents run the CLI: release names its lease, and a live `pool with` keeps its sidetick past --ttl.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, runCli } from "../../../test-support/cli";
import { makeRepoWithOrigin } from "../../../test-support/git";

function setup() {
  const t = makeRepoWithOrigin();
  const common = ["--repo", t.repo, "--home", join(t.root, "home"), "--pool-root", join(t.root, "pool"), "--identity", "otto-cli"];
  const pool = (sub: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) => runCli(["pool", sub, ...common, ...args], { env: { HOME: join(t.root, "home"), OTTO_POOL_LEASE: "", ...env } });
  return { ...t, common, pool };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe("pool release names the lease", () => {
  it("refuses --path alone with exit 2 and says how to pass the lease", () => {
    const t = setup();
    const path = t.pool("allocate").stdout.trim();
    const r = t.pool("release", ["--path", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs the lease/);
    expect(r.stderr).toMatch(/--lease ID/);
    expect(r.stderr).toMatch(/OTTO_POOL_LEASE/);
    expect(JSON.parse(t.pool("status", ["--json"]).stdout).identities[0].sideticks[0].state).toBe("leased");
  });

  it("text allocate prints only the path on stdout and the lease id on stderr; OTTO_POOL_LEASE releases it", () => {
    const t = setup();
    const r = t.pool("allocate");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\S+\/sidetick-1\n$/);
    const leaseId = /^lease: (lease-\S+)$/m.exec(r.stderr)?.[1];
    expect(leaseId).toBeDefined();
    expect(r.stderr).toMatch(/^expires: \S+ \(renew: otto-tray pool renew --identity \S+ --lease lease-/m);
    const released = t.pool("release", [], { OTTO_POOL_LEASE: leaseId });
    expect(released.code, released.stderr).toBe(0);
    expect(JSON.parse(t.pool("status", ["--json"]).stdout).identities[0].sideticks[0].state).toBe("free");
  });

  it("A's lease ran out and B took the sidetick: A's release (by --lease or OTTO_POOL_LEASE) exits 5 and frees nothing", async () => {
    const t = setup();
    t.pool("init", ["--size", "1"]);
    const a = JSON.parse(t.pool("allocate", ["--ttl", "1", "--json"]).stdout) as { path: string; leaseId: string; expiresAt: string };
    await until("A's lease has run out", () => Date.now() > Date.parse(a.expiresAt) + 50);
    const b = JSON.parse(t.pool("allocate", ["--json"]).stdout) as { path: string; leaseId: string };
    expect(b.path).toBe(a.path);
    for (const attempt of [t.pool("release", ["--lease", a.leaseId]), t.pool("release", ["--path", a.path], { OTTO_POOL_LEASE: a.leaseId })]) {
      expect(attempt.code).toBe(5);
      expect(attempt.stderr).toMatch(/does not hold a sidetick.*refused, nothing freed/);
    }
    // C finds nothing free: B still holds it.
    expect(t.pool("allocate").code).toBe(3);
    const shown = JSON.parse(t.pool("status", ["--json"]).stdout).identities[0].sideticks[0];
    expect(shown).toMatchObject({ state: "leased", leaseId: b.leaseId });
  });
});

describe("lease records are written durably", () => {
  it.skipIf(spawnSync("strace", ["-V"], { stdio: "ignore" }).status !== 0)("allocate fsyncs the record and then its .pool directory (strace)", () => {
    const t = setup();
    t.pool("init", ["--size", "1"]);
    const log = join(t.root, "strace.txt");
    const env = { ...process.env, HOME: join(t.root, "home"), OTTO_POOL_LEASE: "" };
    const r = spawnSync("strace", ["-f", "-e", "trace=openat,fsync,rename", "-o", log, process.execPath, CLI_BIN, "pool", "allocate", ...t.common], { env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const meta = join(t.root, "pool", "otto-cli", ".pool");
    const fds = new Map<string, string>();
    const events: string[] = [];
    for (const line of readFileSync(log, "utf8").split("\n")) {
      const open = /openat\(AT_FDCWD, "([^"]+)", [^)]*\)\s+=\s+(\d+)/.exec(line);
      if (open !== null && (open[1] === meta || open[1]?.startsWith(`${meta}/.sidetick-1.json.tmp`))) fds.set(`${line.split(" ")[0]}:${open[2]}`, open[1] === meta ? "dir" : "record");
      const sync = /fsync\((\d+)\)\s+=\s+0/.exec(line);
      const what = sync === null ? undefined : fds.get(`${line.split(" ")[0]}:${sync[1]}`);
      if (what !== undefined) events.push(`fsync ${what}`);
      if (/rename\(.*\/\.pool\/sidetick-1\.json"\)/.test(line)) events.push("rename");
    }
    // Two writes (the claim, then the finished lease), each: record fsync, rename, directory fsync.
    expect(events).toEqual(["fsync record", "rename", "fsync dir", "fsync record", "rename", "fsync dir"]);
  });
});

describe("a live holder beats --ttl", () => {
  it("pool with --ttl 1 keeps its sidetick while CMD runs: a second allocate gets none and CMD's files stay", async () => {
    const t = setup();
    t.pool("init", ["--size", "1"]);
    // CMD writes a file in its sidetick, then runs until told to stop (a file appears) — well past the 1 s TTL.
    const script = [
      'const fs = require("fs");',
      'fs.writeFileSync("cmd-work.txt", "unsaved\\n");',
      'setInterval(() => { if (fs.existsSync(process.env.STOP)) process.exit(0); }, 50);',
    ].join(" ");
    const stop = join(t.root, "stop");
    const wrapper = spawn(process.execPath, [CLI_BIN, "pool", "with", ...t.common, "--ttl", "1", "--", process.execPath, "-e", script], {
      env: { ...process.env, HOME: join(t.root, "home"), STOP: stop },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => wrapper.on("exit", resolve));
    try {
      const work = join(t.root, "pool", "otto-cli", "sidetick-1", "cmd-work.txt");
      await until("CMD wrote its file", () => existsSync(work));
      const since = Date.now();
      await until("the TTL has run out", () => Date.now() > since + 1500);
      const second = t.pool("allocate");
      expect(second.code, second.stdout).toBe(3);
      expect(readFileSync(work, "utf8")).toBe("unsaved\n");
      const shown = JSON.parse(t.pool("status", ["--json"]).stdout).identities[0].sideticks[0];
      expect(shown).toMatchObject({ state: "leased", holderPid: wrapper.pid });
    } finally {
      writeFileSync(stop, "");
    }
    expect(await exited).toBe(0);
    expect(t.pool("allocate").code).toBe(0);
  });
});
