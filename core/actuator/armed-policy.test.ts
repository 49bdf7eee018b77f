// Auto mode keeps to the policy it was armed with, on a real hosted session with real files: a hand edit of the
// preferences that widens the allowlist or blocklist disarms it (it no longer acts, and says why); narrowing does not.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answersOf, eventually, hasPrompt, hostStandIn } from "../../test-support/hosted-session";
import { readActuatorPolicy } from "../prefs/actuator-file";
import { prefsSchema } from "../prefs/schema";
import { evaluateBusOnce } from "../service";
import { AutoMode } from "./auto-mode";
import { readAudit } from "./state/audit-log";
import { readSwitch } from "./state/safety-switch";

const prefs = prefsSchema.parse({});
const LATER = 150_000; // past autoAfterSeconds (120 s) for a prompt on screen now
const NPM_TEST = { program: "npm", subcommand: ["test"] };

/** A session waiting on `npm test`, preferences written as `actuator`, auto mode armed through the real CLI. */
async function armedWith(actuator: Record<string, unknown>) {
  const s = await hostStandIn({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, hasPrompt);
  expect(s.cli("heartbeat", "--surface", "otto-desktop", "--status", "working").code).toBe(0);
  const file = join(s.home, "preferences.json");
  const write = (section: Record<string, unknown> | string) => writeFileSync(file, typeof section === "string" ? section : JSON.stringify({ actuator: section }));
  write(actuator);
  expect(s.cli("actuator", "on", "--confirm").code).toBe(0);
  expect(s.cli("actuator", "auto", "on", "--hours", "1", "--confirm").code).toBe(0);
  // As the app and `detect` do: the policy is read from the file at every look.
  const auto = new AutoMode({ homeDir: s.home, busDir: s.bus, prefs, policy: () => readActuatorPolicy(file) });
  await eventually(() => evaluateBusOnce({ busDir: s.bus, prefs, now: Date.now(), publishEscalations: false }).snapshot.surfaces[0]?.state === "waiting", "otto-cli waiting");
  const consider = () => auto.consider(evaluateBusOnce({ busDir: s.bus, prefs, now: Date.now(), publishEscalations: false }).snapshot, true, Date.now() + LATER);
  return { s, write, consider };
}

async function expectNoAnswer(log: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(answersOf(log)).toEqual([]);
}

describe("auto mode armed with a policy", () => {
  it("stops acting when a hand edit adds an allowlist template, and says why in the switch and the audit log", async () => {
    const { s, write, consider } = await armedWith({ autoAllowlist: [NPM_TEST], blocklist: ["terraform"] });
    write({ autoAllowlist: [NPM_TEST, { program: "make", subcommand: ["build"] }], blocklist: ["terraform"] });
    await consider();
    await expectNoAnswer(s.log);
    const state = readSwitch(s.home);
    expect(state.autoUntil).toBeNull();
    expect(state.disarmed?.reason).toMatch(/wider than when it was armed: the allowlist gained or changed "make build"/);
    expect(readAudit(s.home).find((e) => e.event === "auto-disarmed")?.reason).toMatch(/make build/);
    expect(s.cli("actuator", "status").stdout).toMatch(/auto mode: off \(auto mode was disarmed/);
  });

  it("stops acting when a hand edit removes a blocklist entry", async () => {
    const { s, write, consider } = await armedWith({ autoAllowlist: [NPM_TEST], blocklist: ["terraform"] });
    write({ autoAllowlist: [NPM_TEST], blocklist: [] });
    await consider();
    await expectNoAnswer(s.log);
    expect(readSwitch(s.home).disarmed?.reason).toMatch(/the blocklist lost "terraform"/);
  });

  it("stops acting when the actuator section is made invalid by hand", async () => {
    const { s, write, consider } = await armedWith({ autoAllowlist: [NPM_TEST] });
    write({ autoAllowlist: [NPM_TEST], blocklist: "terraform" });
    await consider();
    await expectNoAnswer(s.log);
    expect(readSwitch(s.home).disarmed?.reason).toMatch(/actuator preferences cannot be used.*actuator\.blocklist/);
  });

  it("stays armed, and answers, when a hand edit only narrows: a blocklist entry added, a template removed", async () => {
    const { s, write, consider } = await armedWith({ autoAllowlist: [NPM_TEST, { program: "make", subcommand: ["test"] }], blocklist: ["terraform"] });
    write({ autoAllowlist: [NPM_TEST], blocklist: ["terraform", "curl"] });
    await consider();
    await eventually(() => answersOf(s.log).length === 1, "the answer");
    expect(answersOf(s.log)).toEqual(["allowed npm test"]);
    expect(readSwitch(s.home).autoUntil).not.toBeNull();
    // The narrower policy is now the one armed: putting the template back is a widening too.
    write({ autoAllowlist: [NPM_TEST, { program: "make", subcommand: ["test"] }], blocklist: ["terraform", "curl"] });
    await consider();
    expect(readSwitch(s.home).disarmed?.reason).toMatch(/"make test"/);
  });
});
