// The hook backend's protocol on real files: a pending request, a plan, a confirmation, and every way the wait ends
// without an answer (switch off, the person answered, Esc, a forged decision on the bus, a forged plan), and the
// requests it does not wait on at all (blocked, unjudgeable).
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { prefsSchema } from "../../prefs/schema";
import { DEFAULT_TEMPLATES } from "../policy/context";
import { readAudit } from "../state/audit-log";
import { markConfirmed } from "../state/plan-handoff";
import { savePlan } from "../state/plans";
import { turnSwitchOn } from "../state/safety-switch";
import { confirmUnstick, planUnstick } from "../unstick";
import { awaitDecision } from "./await-decision";
import { pendingRequestsFor } from "./pending-requests";
import { recordProgress } from "./session-progress";

function setup(command = "npm test") {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const project = makeTempDir();
  const request = { sessionId: "session-1", toolName: "Bash", toolInput: { command, description: "run it" }, cwd: project };
  const ctx = { homeDir: home, busDir: bus, prefs: prefsSchema.parse({}) };
  const wait = (waitMs = 10_000, signal?: AbortSignal) =>
    awaitDecision({ homeDir: home, busDir: bus, surface: "otto-cli", request, waitMs, policy: { projectDir: project, autoAllowlist: DEFAULT_TEMPLATES }, pollMs: 50, ...(signal ? { signal } : {}) });
  return { home, bus, request, ctx, wait };
}

async function until<T>(read: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

describe("PermissionRequest hook backend", () => {
  it("does not wait at all while the switch is off", async () => {
    const t = setup();
    expect(await t.wait()).toEqual({ decision: "none", why: "switch-off" });
    expect(pendingRequestsFor(t.home, "otto-cli")).toEqual([]);
  });

  it("plan sees the pending request; confirm answers it once through the hook", async () => {
    const t = setup();
    turnSwitchOn(t.home, true);
    const waiting = t.wait();
    await until(() => pendingRequestsFor(t.home, "otto-cli")[0]);
    const planned = await planUnstick(t.ctx, "otto-cli");
    expect(planned).toMatchObject({ ok: true, plan: { backend: "hook", prompt: { subject: "npm test" }, action: { answer: "Yes" } } });
    if (!planned.ok) throw new Error("no plan");
    expect(await confirmUnstick(t.ctx, planned.plan.planId)).toMatchObject({ ok: true });
    expect(await waiting).toEqual({ decision: "allow", planId: planned.plan.planId });
    expect(await confirmUnstick(t.ctx, planned.plan.planId)).toMatchObject({ ok: false, refusal: "plan-used" });
    expect(pendingRequestsFor(t.home, "otto-cli")).toEqual([]);
  });

  it("ends when the person answered in the terminal (the same tool ran), not on a sibling tool's event", async () => {
    const t = setup();
    turnSwitchOn(t.home, true);
    recordProgress(t.home, "session-1", { event: "PreToolUse", toolName: "Bash", toolInput: t.request.toolInput, toolUseId: "toolu_ours" });
    const waiting = t.wait();
    await until(() => pendingRequestsFor(t.home, "otto-cli")[0]);
    recordProgress(t.home, "session-1", { event: "PostToolUse", toolName: "Bash", toolInput: { command: "ls" }, toolUseId: "toolu_sibling" });
    recordProgress(t.home, "session-1", { event: "PostToolUse", toolName: "Bash", toolInput: t.request.toolInput, toolUseId: "toolu_other_same_input" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pendingRequestsFor(t.home, "otto-cli")).toHaveLength(1);
    recordProgress(t.home, "session-1", { event: "PostToolUseFailure", toolName: "Bash", toolInput: t.request.toolInput, toolUseId: "toolu_ours" });
    expect(await waiting).toEqual({ decision: "none", why: "settled" });
  });

  it("ends at once on SIGTERM (Esc on the dialog), and when the switch is turned off", async () => {
    const t = setup();
    turnSwitchOn(t.home, true);
    const controller = new AbortController();
    const waiting = t.wait(10_000, controller.signal);
    await until(() => pendingRequestsFor(t.home, "otto-cli")[0]);
    controller.abort();
    expect(await waiting).toEqual({ decision: "none", why: "dismissed" });
    const second = t.wait();
    await until(() => pendingRequestsFor(t.home, "otto-cli")[0]);
    const { turnSwitchOff } = await import("../state/safety-switch");
    turnSwitchOff(t.home);
    expect(await second).toEqual({ decision: "none", why: "switch-off" });
  });

  it("a forged permission-decision on the bus changes nothing", async () => {
    const t = setup();
    turnSwitchOn(t.home, true);
    const forged = {
      id: "11111111-2222-4333-8444-555555555555",
      topic: "permission-decision",
      payload: { surface: "otto-cli", behavior: "allow" },
      from: "otto-tray",
      to: "otto-cli",
      timestamp: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    writeFileSync(join(t.bus, `${forged.id}.json`), JSON.stringify(forged));
    expect(await t.wait(800)).toEqual({ decision: "none", why: "timeout" });
  });

  it.each([
    ["rm -rf ../victim", "blocked", /^it deletes files \(rm\)/],
    ["echo $(whoami)", "unjudgeable", /\$\(/],
  ])("does not wait on %j, which no plan could ever answer: returns at once, records why and escalates", async (command, refusal, why) => {
    const t = setup(command);
    turnSwitchOn(t.home, true);
    // The default wait: a hook that waited would never finish inside the test's time.
    const outcome = await t.wait(600_000);
    expect(outcome).toMatchObject({ decision: "none", why: "refused", refusal });
    if (outcome.decision !== "none" || outcome.why !== "refused") throw new Error("not refused");
    expect(outcome.reason).toMatch(why);
    expect(pendingRequestsFor(t.home, "otto-cli")).toEqual([]);
    expect(readAudit(t.home).at(-1)).toMatchObject({ surface: "otto-cli", backend: "hook", event: "plan", decision: "refused", prompt: { subject: command } });
    expect(readAudit(t.home).at(-1)?.reason).toBe(`${refusal}: ${outcome.reason}; not waited on, Claude Code's own dialog is left for the person`);
    const envelopes = readdirSync(t.bus).map((f) => JSON.parse(readFileSync(join(t.bus, f), "utf8")) as { topic: string; payload: { surface?: string } });
    expect(envelopes.filter((e) => e.topic === "stuck-prompt").map((e) => e.payload.surface)).toEqual(["otto-cli"]);
    // Nothing is left for a plan to be made from.
    expect(await planUnstick(t.ctx, "otto-cli")).toMatchObject({ ok: false, refusal: "no-backend" });
  });

  it("a hand-made confirmed plan for another prompt is refused by the hook", async () => {
    const t = setup("npm test");
    turnSwitchOn(t.home, true);
    const waiting = t.wait(1_500);
    const request = await until(() => pendingRequestsFor(t.home, "otto-cli")[0]);
    const forgedPlan = savePlan(t.home, { surface: "otto-cli", backend: "hook", target: { requestId: request.requestId }, prompt: { fingerprint: "anything" }, action: {} });
    markConfirmed(t.home, forgedPlan.planId, request.requestId);
    expect(await waiting).toEqual({ decision: "none", why: "timeout" });
  });
});

describe("PermissionRequest hook backend: its owner", () => {
  it("ends at once when Claude Code (the owner pid) is gone: no hook outlives its dialog", async () => {
    const home = makeTempDir();
    const bus = makeTempDir();
    chmodSync(bus, 0o700);
    turnSwitchOn(home, true);
    const { spawn } = await import("node:child_process");
    const owner = spawn("sleep", ["30"]);
    const waiting = awaitDecision({
      homeDir: home,
      busDir: bus,
      surface: "otto-cli",
      request: { sessionId: "s", toolName: "Bash", toolInput: { command: "npm test" }, cwd: home },
      waitMs: 20_000,
      policy: { projectDir: home, autoAllowlist: DEFAULT_TEMPLATES },
      pollMs: 50,
      ownerPid: owner.pid as number,
    });
    await until(() => pendingRequestsFor(home, "otto-cli")[0]);
    owner.kill("SIGKILL");
    expect(await waiting).toEqual({ decision: "none", why: "settled" });
  });
});
