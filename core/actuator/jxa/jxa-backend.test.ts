// `unstick plan` and `confirm` through the jxa backend, running the real JXA script text against a simulated System
// Events: the switch, single use, a changed prompt, a vanished button, a blocked prompt, a missing permission.
import { chmodSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { prefsSchema } from "../../prefs/schema";
import { readAudit } from "../state/audit-log";
import { turnSwitchOn } from "../state/safety-switch";
import { confirmUnstick, planUnstick } from "../unstick";
import { type SimElement, type SimModel, simulatedRunner } from "./simulated-system-events";

function model(command = "npm test"): { sim: SimModel; prompt: SimElement[] } {
  const prompt: SimElement[] = [
    { role: "AXHeading", name: "Allow Claude to run a command?" },
    { role: "AXStaticText", value: command },
    { role: "AXButton", name: "Deny" },
    { role: "AXButton", name: "Allow for This Chat" },
    { role: "AXButton", name: "Allow once" },
  ];
  const sim: SimModel = {
    accessibility: true,
    clicks: [],
    processes: [{ name: "Claude", windows: [{ name: "Claude", children: [{ role: "AXWebArea", children: [{ role: "AXGroup", children: prompt }] }] }] }],
  };
  return { sim, prompt };
}

function setup(sim: SimModel) {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  return { homeDir: home, busDir: bus, prefs: prefsSchema.parse({ repo: makeTempDir() }), jxa: simulatedRunner(sim) };
}

describe("unstick through the jxa backend (Claude Desktop, simulated System Events)", () => {
  it("plans 'Allow once', refuses while the switch is off, presses it once when on", async () => {
    const { sim } = model();
    const ctx = setup(sim);
    const first = await planUnstick(ctx, "otto-desktop");
    expect(first).toMatchObject({ ok: true, plan: { backend: "jxa", target: { app: "Claude" }, action: { answer: "Allow once" }, switchOn: false } });
    if (!first.ok) throw new Error("no plan");
    expect(await confirmUnstick(ctx, first.plan.planId)).toMatchObject({ ok: false, refusal: "switch-off" });
    turnSwitchOn(ctx.homeDir, true);
    const second = await planUnstick(ctx, "otto-desktop");
    if (!second.ok) throw new Error("no plan");
    expect(await confirmUnstick(ctx, second.plan.planId)).toMatchObject({ ok: true, pressed: "Allow once" });
    expect(sim.clicks).toEqual([{ app: "Claude", window: "Claude", button: "Allow once" }]);
    expect(await confirmUnstick(ctx, second.plan.planId)).toMatchObject({ ok: false, refusal: "plan-used" });
    expect(sim.clicks).toHaveLength(1);
    expect(readAudit(ctx.homeDir).map((e) => `${e.event}:${e.decision}`)).toEqual(["plan:info", "confirm:refused", "plan:info", "act:done", "confirm:refused"]);
  });

  it("presses nothing when the prompt changed or its button vanished after the plan", async () => {
    const { sim, prompt } = model();
    const ctx = setup(sim);
    turnSwitchOn(ctx.homeDir, true);
    const plan = await planUnstick(ctx, "otto-desktop");
    if (!plan.ok) throw new Error("no plan");
    const text = prompt[1];
    if (text) text.value = "npm run deploy";
    expect(await confirmUnstick(ctx, plan.plan.planId)).toMatchObject({ ok: false, refusal: "prompt-changed" });
    if (text) text.value = "npm test";
    const again = await planUnstick(ctx, "otto-desktop");
    if (!again.ok) throw new Error("no plan");
    prompt.pop();
    expect(await confirmUnstick(ctx, again.plan.planId)).toMatchObject({ ok: false });
    expect(sim.clicks).toEqual([]);
  });

  it("never plans a prompt whose text is on the blocklist, and escalates it", async () => {
    const { sim } = model("rm -rf ~/Documents");
    const ctx = setup(sim);
    turnSwitchOn(ctx.homeDir, true);
    expect(await planUnstick(ctx, "otto-desktop")).toMatchObject({ ok: false, refusal: "blocked" });
    expect(sim.clicks).toEqual([]);
  });

  it("says which permission is missing, and that nothing is on screen when the app is not running", async () => {
    const { sim } = model();
    const ctx = setup({ ...sim, accessibility: false });
    const denied = await planUnstick(ctx, "otto-desktop");
    expect(denied).toMatchObject({ ok: false, refusal: "error" });
    if (!denied.ok) expect(denied.reason).toMatch(/Accessibility permission: System Settings → Privacy & Security → Accessibility/);
    const gone = setup({ ...sim, processes: [] });
    expect(await planUnstick(gone, "otto-desktop")).toMatchObject({ ok: false, refusal: "no-prompt" });
  });
});
