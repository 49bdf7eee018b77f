// Auto mode on a real hosted session (otto-tray run + the stand-in agent): it answers an allowlisted prompt that
// stood long enough while another surface worked, once; and does nothing when any gate says no.
import { describe, expect, it } from "vitest";
import { answersOf, eventually, hasPrompt, hostStandIn } from "../../test-support/hosted-session";
import { prefsSchema } from "../prefs/schema";
import { evaluateBusOnce } from "../service";
import { lastAutoAction } from "./auto-memory";
import { AutoMode } from "./auto-mode";
import { actuatorPolicyOf } from "./policy/context";
import { policyFingerprint } from "./policy/policy-fingerprint";
import { readAudit } from "./state/audit-log";
import { armAutoMode, turnSwitchOn } from "./state/safety-switch";

const prefs = prefsSchema.parse({});
const LATER = 150_000; // past autoAfterSeconds (120 s) for a prompt on screen now

async function setup(command: string, options: { arm?: boolean; otherBeats?: boolean } = {}) {
  const s = await hostStandIn({ STANDIN_MODE: "numbered", STANDIN_COMMAND: command }, hasPrompt);
  if (options.otherBeats !== false) expect(s.cli("heartbeat", "--surface", "otto-desktop", "--status", "working").code).toBe(0);
  turnSwitchOn(s.home, true);
  if (options.arm !== false) armAutoMode(s.home, 1, true, policyFingerprint(actuatorPolicyOf(prefs)));
  const auto = new AutoMode({ homeDir: s.home, busDir: s.bus, prefs });
  // The hosted session's own heartbeat says waiting: wait for it, then evaluate the bus as the detector would.
  await eventually(() => evaluateBusOnce({ busDir: s.bus, prefs, now: Date.now(), publishEscalations: false }).snapshot.surfaces[0]?.state === "waiting", "otto-cli waiting");
  const snapshot = () => evaluateBusOnce({ busDir: s.bus, prefs, now: Date.now(), publishEscalations: false }).snapshot;
  return { s, auto, snapshot };
}

describe("auto mode", () => {
  it("answers an allowlisted prompt that stood long enough while another surface worked, and remembers when (the cooldown survives restarts)", async () => {
    const { s, auto, snapshot } = await setup("npm test");
    await auto.consider(snapshot(), true, Date.now() + 30_000);
    expect(answersOf(s.log)).toEqual([]);
    await auto.consider(snapshot(), true, Date.now() + LATER);
    await eventually(() => answersOf(s.log).length === 1, "the answer");
    expect(answersOf(s.log)).toEqual(["allowed npm test"]);
    expect(readAudit(s.home).filter((e) => e.event === "auto").map((e) => e.decision)).toEqual(["done"]);
    expect(lastAutoAction(s.home, "otto-cli", 0)).toBeGreaterThan(0);
  });

  it("does nothing unarmed, when not the publisher, or when every surface is silent", async () => {
    const unarmed = await setup("npm test", { arm: false });
    await unarmed.auto.consider(unarmed.snapshot(), true, Date.now() + LATER);
    const armed = await setup("npm test");
    await armed.auto.consider(armed.snapshot(), false, Date.now() + LATER);
    await armed.auto.consider({ ...armed.snapshot(), allSilent: true }, true, Date.now() + LATER);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answersOf(unarmed.s.log)).toEqual([]);
    expect(answersOf(armed.s.log)).toEqual([]);
  });

  it("does nothing when no other surface beat recently", async () => {
    const { s, auto, snapshot } = await setup("npm test", { otherBeats: false });
    await auto.consider(snapshot(), true, Date.now() + LATER);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answersOf(s.log)).toEqual([]);
  });

  it("never answers a command off its allowlist, and writes down why once", async () => {
    const { s, auto, snapshot } = await setup("npm run build");
    await auto.consider(snapshot(), true, Date.now() + LATER);
    await auto.consider(snapshot(), true, Date.now() + LATER);
    expect(answersOf(s.log)).toEqual([]);
    const refusals = readAudit(s.home).filter((e) => e.event === "auto");
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.reason).toMatch(/^not-allowlisted/);
  });
});
