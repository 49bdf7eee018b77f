// The actuator's authority on disk: switch off by default and fail-closed, single-use expiring plans, the audit log.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTsSnippet } from "../../../test-support/run-ts";
import { makeTempDir } from "../../../test-support/temp";
import { DEFAULT_TEMPLATES } from "../policy/context";
import { policyFingerprint } from "../policy/policy-fingerprint";
import { appendAudit, readAudit } from "./audit-log";
import { PLAN_FILES_KEPT_MS, peekPlan, plansDir, savePlan, takePlan } from "./plans";
import { actuatorDir } from "./private-dir";
import { armAutoMode, autoModeActive, readSwitch, turnSwitchOff, turnSwitchOn } from "./safety-switch";

const POLICY = policyFingerprint({ templates: DEFAULT_TEMPLATES, blocklist: [] });
const draft = { surface: "otto-cli", backend: "pty" as const, target: { session: "s1" }, prompt: { subject: "npm test" }, action: { key: "1" } };

describe("safety switch", () => {
  it("is off by default and needs a confirmation to turn on", () => {
    const home = makeTempDir();
    expect(readSwitch(home).on).toBe(false);
    expect(() => turnSwitchOn(home, false)).toThrow(/confirmation/);
    expect(readSwitch(home).on).toBe(false);
    turnSwitchOn(home, true);
    expect(readSwitch(home).on).toBe(true);
    turnSwitchOff(home);
    expect(readSwitch(home).on).toBe(false);
  });

  it("reads as off, with the reason, when its file is garbage or its directory is not private", () => {
    const home = makeTempDir();
    turnSwitchOn(home, true);
    writeFileSync(join(actuatorDir(home), "switch.json"), "{ on: tru");
    expect(readSwitch(home)).toMatchObject({ on: false });
    turnSwitchOn(home, true);
    chmodSync(actuatorDir(home), 0o777);
    const state = readSwitch(home);
    expect(state.on).toBe(false);
    expect(state.problem).toMatch(/can be read or written by others/);
  });

  it("auto mode needs the switch, a confirmation and expires; switching off disarms it", () => {
    const home = makeTempDir();
    expect(() => armAutoMode(home, 2, true, POLICY)).toThrow(/switch on/);
    turnSwitchOn(home, true);
    expect(() => armAutoMode(home, 2, false, POLICY)).toThrow(/confirmation/);
    const now = new Date("2026-11-21T20:00:00Z");
    armAutoMode(home, 2, true, POLICY, now);
    expect(autoModeActive(readSwitch(home), now.getTime() + 3_600_000)).toBe(true);
    expect(autoModeActive(readSwitch(home), now.getTime() + 2 * 3_600_000 + 1)).toBe(false);
    turnSwitchOff(home);
    turnSwitchOn(home, true);
    expect(readSwitch(home).autoUntil).toBeNull();
  });
});

describe("plans", () => {
  it("work once: a replay is refused as used", () => {
    const home = makeTempDir();
    const plan = savePlan(home, draft);
    expect(takePlan(home, plan.planId)).toMatchObject({ ok: true, plan: { surface: "otto-cli", action: { key: "1" } } });
    expect(takePlan(home, plan.planId)).toMatchObject({ ok: false, refusal: "plan-used" });
  });

  it("expire, and an expired plan is used up too", () => {
    const home = makeTempDir();
    const now = new Date("2026-11-21T20:00:00Z");
    const plan = savePlan(home, draft, now, 60_000);
    expect(takePlan(home, plan.planId, now.getTime() + 60_001)).toMatchObject({ ok: false, refusal: "plan-expired" });
    expect(takePlan(home, plan.planId, now.getTime())).toMatchObject({ ok: false, refusal: "plan-used" });
  });

  it("hostile or unknown ids never reach the file system", () => {
    const home = makeTempDir();
    mkdirSync(join(actuatorDir(home), "plans"), { recursive: true });
    for (const id of ["../switch", "a".repeat(32) + "/../x", "", "0".repeat(31)]) {
      expect(takePlan(home, id)).toMatchObject({ ok: false, refusal: "unknown-plan" });
    }
    expect(takePlan(home, "0".repeat(32))).toMatchObject({ ok: false, refusal: "unknown-plan" });
  });
});

describe("plan files", () => {
  it("are removed a day after they were written, when a new plan is saved", () => {
    const home = makeTempDir();
    const old = savePlan(home, draft);
    expect(takePlan(home, old.planId)).toMatchObject({ ok: true });
    const recent = savePlan(home, draft);
    const twoDaysAgo = new Date(Date.now() - 2 * PLAN_FILES_KEPT_MS);
    utimesSync(join(plansDir(home), `${old.planId}.used`), twoDaysAgo, twoDaysAgo);
    savePlan(home, draft);
    expect(readdirSync(plansDir(home))).not.toContain(`${old.planId}.used`);
    expect(readdirSync(plansDir(home))).toContain(`${recent.planId}.json`);
    expect(readdirSync(plansDir(home))).toHaveLength(2);
  });

  it("refuses a FIFO or an oversized file where a plan goes, at once, without waiting on it", () => {
    const home = makeTempDir();
    const plan = savePlan(home, draft);
    rmSync(join(plansDir(home), `${plan.planId}.json`));
    execFileSync("mkfifo", [join(plansDir(home), `${plan.planId}.json`)]);
    // In a child with a deadline: a reader blocked opening the FIFO for a writer would hang this process for good.
    const script = `import { peekPlan, takePlan } from ${JSON.stringify(join(import.meta.dirname, "plans.ts"))};
console.log(JSON.stringify([peekPlan(${JSON.stringify(home)}, "${plan.planId}") ?? null, takePlan(${JSON.stringify(home)}, "${plan.planId}")]));`;
    const result = runTsSnippet(script);
    expect(result.signal).toBeNull();
    expect(JSON.parse(result.stdout)).toEqual([null, { ok: false, refusal: "unknown-plan", reason: `plan ${plan.planId} cannot be read` }]);

    const big = savePlan(home, { ...draft, prompt: { subject: "x".repeat(2 * 1024 * 1024) } });
    expect(peekPlan(home, big.planId)).toBeUndefined();
    expect(takePlan(home, big.planId)).toMatchObject({ ok: false, refusal: "unknown-plan" });
  });
});

describe("audit log", () => {
  it("appends entries and reads the newest back, skipping a torn line", () => {
    const home = makeTempDir();
    for (let i = 0; i < 5; i++) appendAudit(home, { at: `t${i}`, surface: "otto-cli", backend: "pty", event: "refuse", prompt: null, decision: "refused", reason: `r${i}` });
    writeFileSync(join(actuatorDir(home), "audit.jsonl"), '{"torn":', { flag: "a" });
    expect(readAudit(home, 3).map((e) => e.reason)).toEqual(["r2", "r3", "r4"]);
    appendAudit(home, { at: "t5", surface: null, backend: null, event: "switch-off", prompt: null, decision: "info", reason: "after the crash" });
    expect(readAudit(home, 2).map((e) => e.reason)).toEqual(["r4", "after the crash"]);
  });
});

describe("files that are not regular where the actuator's state belongs", () => {
  it("a FIFO at the switch's record reads as off saying why, and turning off replaces it", () => {
    const home = makeTempDir();
    turnSwitchOn(home, true);
    const record = join(actuatorDir(home), "switch.json");
    rmSync(record);
    execFileSync("mkfifo", ["-m", "600", record]);
    expect(readSwitch(home)).toMatchObject({ on: false, problem: expect.stringContaining(`${record} is not a regular file`) as unknown });
    expect(turnSwitchOff(home)).toMatchObject({ on: false, problem: null });
  });

  it("an on record others can write reads as off", () => {
    const home = makeTempDir();
    turnSwitchOn(home, true);
    chmodSync(join(actuatorDir(home), "switch.json"), 0o666);
    expect(readSwitch(home)).toMatchObject({ on: false, problem: expect.stringMatching(/can be written by others \(mode 666\)/) as unknown });
  });
});
