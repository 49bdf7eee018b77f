// `pool doctor`: exit 0 healthy, 6 problems left, 5 a repair refused; an unreadable lease record is repaired only when nobody works in it.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../../test-support/git";

function setup() {
  const t = makeRepoWithOrigin();
  const poolRoot = join(t.root, "pool");
  const common = ["--repo", t.repo, "--home", join(t.root, "home"), "--pool-root", poolRoot];
  const pool = (sub: string, ...args: string[]) => runCli(["pool", sub, ...common, ...args], { env: { HOME: join(t.root, "home") } });
  const recordFile = join(poolRoot, "otto-cli", ".pool", "sidetick-1.json");
  return { ...t, pool, recordFile, sidetick: join(poolRoot, "otto-cli", "sidetick-1") };
}

type Doctor = { healthy: boolean; problems: { problem: string; fixed: boolean; refused: boolean; detail: string }[] };

// A process working in the sidetick, the way an agent's shell would: its cwd is there.
function workerIn(cwd: string) {
  const child = spawn("sleep", ["120"], { cwd, stdio: "ignore" });
  const gone = new Promise((resolve) => child.on("exit", resolve));
  return { pid: child.pid as number, stop: () => (child.kill("SIGKILL"), gone) };
}

describe("pool doctor exit codes", () => {
  it("exits 0 when healthy and 6 when problems are found and left", () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    expect(t.pool("doctor").code).toBe(0);
    writeFileSync(t.recordFile, "");
    const found = t.pool("doctor");
    expect(found.code).toBe(6);
    expect(found.stdout).toMatch(/found unreadable-lease: .*sidetick-1 .*is empty; counted as held/);
  });
});

describe("pool doctor and an unreadable lease record", () => {
  it("status reports it; --fix refuses (exit 5) while a process works in the sidetick, repairs once it is gone", async () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    const a = JSON.parse(t.pool("allocate", "--identity", "otto-cli", "--json").stdout) as { path: string };
    writeFileSync(join(a.path, "work.txt"), "unsaved\n");
    const text = readFileSync(t.recordFile, "utf8");
    writeFileSync(t.recordFile, text.slice(0, 40));
    const status = t.pool("status");
    expect(status.stdout).toMatch(/sidetick-1\s+unreadable/);
    expect(status.stdout).toMatch(/sidetick-1: .*not valid JSON.*counted as held.*doctor --fix/);

    const worker = workerIn(a.path);
    try {
      const refused = t.pool("doctor", "--fix", "--json");
      expect(refused.code).toBe(5);
      const doc = JSON.parse(refused.stdout) as Doctor;
      expect(doc.healthy).toBe(false);
      expect(doc.problems).toEqual([expect.objectContaining({ problem: "unreadable-lease", fixed: false, refused: true })]);
      expect(doc.problems[0]?.detail).toContain(`process(es) ${worker.pid} work in it`);
      expect(readFileSync(t.recordFile, "utf8")).toBe(text.slice(0, 40));
      expect(t.pool("allocate", "--identity", "otto-cli").code).toBe(3);
    } finally {
      await worker.stop();
    }
    const fixed = t.pool("doctor", "--fix");
    expect(fixed.stdout).toMatch(/fixed unreadable-lease/);
    // The repaired sidetick held unsaved work: doctor rescued it before making it clean.
    expect(fixed.stdout).toMatch(/fixed dirty/);
    expect(fixed.code).toBe(0);
    expect(t.pool("doctor").code).toBe(0);
    expect(t.pool("allocate", "--identity", "otto-cli").code).toBe(0);
  });

  it("--fix --force repairs it even while a process works there; --force without --fix is a usage error", async () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    writeFileSync(t.recordFile, "{}");
    expect(t.pool("doctor", "--force").code).toBe(2);
    const worker = workerIn(t.sidetick);
    try {
      const forced = t.pool("doctor", "--fix", "--force");
      expect(forced.code, forced.stdout).toBe(0);
      expect(forced.stdout).toMatch(/fixed unreadable-lease: .*--force/);
      expect(JSON.parse(readFileSync(t.recordFile, "utf8"))).toMatchObject({ version: 1, sidetick: 1, lease: null });
    } finally {
      await worker.stop();
    }
  });
});

describe("pool doctor --fix and a git worktree add killed mid-way", () => {
  it("restores an empty commondir (which makes every git worktree command die) and the pool works again", () => {
    const t = setup();
    t.pool("init", "--identity", "otto-cli", "--size", "1");
    const admin = readFileSync(join(t.sidetick, ".git"), "utf8").replace(/^gitdir: /, "").trim();
    writeFileSync(join(admin, "commondir"), "");
    expect(() => git(t.repo, ["worktree", "list"])).toThrow(/failed to read .*commondir/);
    const fixed = t.pool("doctor", "--fix");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/fixed broken: .*empty commondir left by a killed git worktree add: restored/);
    expect(readFileSync(join(admin, "commondir"), "utf8")).toBe("../..\n");
    expect(git(t.repo, ["worktree", "list"])).toContain(t.sidetick);
    expect(t.pool("allocate", "--identity", "otto-cli").stdout.trim()).toBe(t.sidetick);
  });
});

describe("pool doctor and pools never created", () => {
  it("does not report the slots of a pool the preferences list but nobody created as missing (exit 0, says init creates it)", () => {
    const t = makeRepoWithOrigin();
    const config = join(t.root, "prefs.json");
    const home = join(t.root, "home");
    writeFileSync(config, JSON.stringify({ repo: t.repo, poolRoot: join(t.root, "pool"), poolSize: 2, identities: ["otto-cli", "otto-desktop"] }));
    const pool = (...args: string[]) => runCli(["pool", ...args, "--config", config, "--home", home], { env: { HOME: home } });
    expect(pool("init", "--identity", "otto-cli").code).toBe(0);
    const text = pool("doctor");
    expect(text.stdout).not.toMatch(/missing/);
    expect(text.stdout).toMatch(/otto-desktop: no pool yet \(otto-tray pool init --identity otto-desktop --config \S+ --home \S+ creates it\)/);
    expect(text.code, text.stdout).toBe(0);
    const json = JSON.parse(pool("doctor", "--json").stdout) as Doctor & { notCreated: string[] };
    expect(json).toMatchObject({ healthy: true, problems: [], notCreated: ["otto-desktop"] });
    const one = pool("doctor", "--identity", "otto-desktop");
    expect(one.code).toBe(0);
    expect(one.stdout).not.toMatch(/missing/);
    // A slot of a created pool that is gone is still missing.
    rmSync(join(t.root, "pool", "otto-cli", "sidetick-2"), { recursive: true, force: true });
    expect(pool("doctor").stdout).toMatch(/found missing: .*sidetick-2/);
  });
});
