// FIFOs, foreign and oversized files where the switch record or the preferences belong: every command that reads them
// ends at once and names the file, the switch reads as off and the actuator's policy refuses. Each run is bounded (a
// command that blocks on the FIFO is killed and the test fails), never timed.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

// Generous: a command that opens the FIFO for reading waits for a writer forever; killed, runCli throws.
const BOUND = { timeoutMs: 20_000 };

function setup(): { home: string; bus: string } {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  return { home, bus };
}

function mkfifo(path: string): void {
  execFileSync("mkfifo", ["-m", "600", path]);
}

function permissionRequest(project: string): string {
  const lines = readFileSync(join(FIXTURES, "claude-code-real", "walk-hooks.jsonl"), "utf8").trim().split("\n");
  const event = lines.map((l) => JSON.parse(l) as { stdin: Record<string, unknown> }).find((l) => l.stdin.hook_event_name === "PermissionRequest");
  if (event === undefined) throw new Error("no PermissionRequest recorded");
  return JSON.stringify({ ...event.stdin, cwd: project, tool_input: { command: "npm test" } });
}

describe("a FIFO at <home>/actuator/switch.json", () => {
  it("reads as off with the file named, the hook ends, and actuator off replaces it", () => {
    const { home, bus } = setup();
    expect(runCli(["actuator", "on", "--confirm", "--home", home, "--bus-dir", bus], BOUND).code).toBe(0);
    const record = join(home, "actuator", "switch.json");
    rmSync(record);
    mkfifo(record);

    const status = runCli(["actuator", "status", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ on: false, problem: expect.stringContaining(`${record} is not a regular file`) as unknown });
    const doctor = runCli(["doctor", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(doctor.code).toBe(6);
    expect(doctor.stdout).toContain(`${record} is not a regular file`);

    const hook = runCli(["hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { ...BOUND, input: permissionRequest(makeTempDir()) });
    expect({ code: hook.code, stdout: hook.stdout }).toEqual({ code: 0, stdout: "" });

    const off = runCli(["actuator", "off", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ on: false, problem: null });
  });
});

describe("a FIFO at a plan's name in <home>/actuator/plans", () => {
  it("is no plan: unstick confirm is refused at once", () => {
    const { home, bus } = setup();
    expect(runCli(["actuator", "on", "--confirm", "--home", home, "--bus-dir", bus], BOUND).code).toBe(0);
    const planId = "0123456789abcdef0123456789abcdef";
    mkdirSync(join(home, "actuator", "plans"), { mode: 0o700 });
    mkfifo(join(home, "actuator", "plans", `${planId}.json`));
    const confirm = runCli(["unstick", "confirm", planId, "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(confirm.code).toBe(5);
    expect(JSON.parse(confirm.stdout)).toMatchObject({ ok: false, reason: expect.stringContaining("cannot be read") as unknown });
  });
});

describe("a FIFO at <home>/preferences.json", () => {
  it("ends status, actuator status, actuator off and the hook at once, naming the file; the actuator refuses", () => {
    const { home, bus } = setup();
    expect(runCli(["actuator", "on", "--confirm", "--home", home, "--bus-dir", bus], BOUND).code).toBe(0);
    const prefs = join(home, "preferences.json");
    mkfifo(prefs);
    const problem = `${prefs} is not a regular file`;

    // No --bus-dir and no $ZETA_BUS_DIR: the bus directory comes from the preferences.
    const status = runCli(["status", "--json", "--home", home], { ...BOUND, env: { ZETA_BUS_DIR: "" } });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(problem);

    const actuator = runCli(["actuator", "status", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(actuator.code).toBe(0);
    expect(JSON.parse(actuator.stdout)).toMatchObject({ on: true, policy: { problem: expect.stringContaining(problem) as unknown } });
    const arm = runCli(["actuator", "auto", "on", "--hours", "1", "--confirm", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(arm.code).toBe(5);
    expect(JSON.parse(arm.stdout)).toMatchObject({ ok: false, refusal: "blocked", reason: expect.stringContaining(problem) as unknown });

    const hook = runCli(["hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { ...BOUND, input: permissionRequest(makeTempDir()) });
    expect({ code: hook.code, stdout: hook.stdout }).toEqual({ code: 0, stdout: "" });
    expect(readFileSync(join(home, "logs", "hook.log"), "utf8")).toContain(problem);

    // Off needs no preferences: without a bus directory it is only the bus that is not told.
    const off = runCli(["actuator", "off", "--home", home], { ...BOUND, env: { ZETA_BUS_DIR: "" } });
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/safety switch: off/);
    expect(off.stderr).toContain(problem);
  });

  it("given with --config is a clear error", () => {
    const { home, bus } = setup();
    const fifo = join(makeTempDir(), "prefs.json");
    mkfifo(fifo);
    const status = runCli(["status", "--config", fifo, "--home", home, "--bus-dir", bus], BOUND);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(`${fifo} is not a regular file`);
    const doctor = runCli(["doctor", "--config", fifo, "--home", home, "--bus-dir", bus], BOUND);
    expect(doctor.code).toBe(6);
    expect(doctor.stdout).toContain(`${fifo} is not a regular file`);
  });
});

describe("preferences that are too big or not yours", () => {
  it("over 1 MiB: named with the limit, and the actuator refuses", () => {
    const { home, bus } = setup();
    writeFileSync(join(home, "preferences.json"), `{"note": "${"x".repeat(1024 * 1024)}"}`);
    const actuator = runCli(["actuator", "status", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(JSON.parse(actuator.stdout)).toMatchObject({ policy: { problem: expect.stringMatching(/over the 1048576-byte limit/) as unknown } });
    const status = runCli(["status", "--home", home, "--bus-dir", bus, "--config", join(home, "preferences.json")], BOUND);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/preferences\.json is \d+ bytes, over the 1048576-byte limit/);
  });

  it.runIf(process.getuid?.() === 0)("owned by someone else: named with the owner, and the actuator refuses", () => {
    const { home, bus } = setup();
    const prefs = join(home, "preferences.json");
    writeFileSync(prefs, JSON.stringify({ actuator: { blocklist: [] } }));
    chownSync(prefs, 65534, 65534);
    const actuator = runCli(["actuator", "status", "--json", "--home", home, "--bus-dir", bus], BOUND);
    expect(JSON.parse(actuator.stdout)).toMatchObject({ policy: { problem: expect.stringContaining(`${prefs} is owned by uid 65534, not by you`) as unknown } });
  });
});
