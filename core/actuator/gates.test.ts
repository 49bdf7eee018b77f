// Each gate refuses on its own: flip one condition of an otherwise allowed action and nothing happens.
import { describe, expect, it } from "vitest";
import { type AutoGateInput, autoGate, type ManualGateInput, manualGate } from "./gates";
import type { ScreenReading } from "./screen/types";
import { BASH_PERMISSION_READING } from "../../test-support/screen-readings";

const NOW = Date.parse("2026-11-21T20:00:00Z");
const prompt: ScreenReading = BASH_PERMISSION_READING;
const manual: ManualGateInput = {
  now: NOW,
  switchState: { on: true, since: null, autoUntil: null, problem: null },
  busTrusted: true,
  plan: { ok: true },
  reading: prompt,
  samePromptAsPlan: true,
  policy: { allowed: true, reason: "ok" },
};
const auto: AutoGateInput = {
  ...manual,
  switchState: { on: true, since: null, autoUntil: new Date(NOW + 3_600_000).toISOString(), problem: null },
  isPublisher: true,
  promptStoodMs: 180_000,
  autoAfterMs: 120_000,
  otherSurfaceBeatRecently: true,
  allSilent: false,
  lastActionAt: undefined,
  cooldownMs: 600_000,
};

describe("manualGate", () => {
  it("acts when every gate allows", () => {
    expect(manualGate(manual)).toEqual({ act: true });
  });

  it.each<[string, Partial<ManualGateInput>, string]>([
    ["switch off", { switchState: { on: false, since: null, autoUntil: null, problem: null } }, "switch-off"],
    ["bus untrusted", { busTrusted: false }, "bus-untrusted"],
    ["plan used", { plan: { ok: false, refusal: "plan-used", reason: "used" } }, "plan-used"],
    ["plan expired", { plan: { ok: false, refusal: "plan-expired", reason: "expired" } }, "plan-expired"],
    ["busy screen", { reading: { kind: "busy", reason: "esc to interrupt" } }, "no-prompt"],
    ["idle screen", { reading: { kind: "idle", reason: "input box" } }, "no-prompt"],
    ["unrecognised screen", { reading: { kind: "unrecognised", reason: "?" } }, "unrecognised"],
    ["other dialog", { reading: { kind: "other-dialog", question: "trust?", options: [] } }, "unrecognised"],
    ["unreadable surface", { reading: undefined }, "error"],
    ["prompt changed", { samePromptAsPlan: false }, "prompt-changed"],
    ["blocked", { policy: { allowed: false, refusal: "blocked", reason: "rm" } }, "blocked"],
  ])("refuses when %s", (_name, change, refusal) => {
    expect(manualGate({ ...manual, ...change })).toMatchObject({ act: false, refusal });
  });
});

describe("autoGate", () => {
  it("acts when every gate allows", () => {
    expect(autoGate(auto)).toEqual({ act: true });
  });

  it.each<[string, Partial<AutoGateInput>, string]>([
    ["switch off", { switchState: { on: false, since: null, autoUntil: null, problem: null } }, "switch-off"],
    ["auto mode expired", { now: NOW + 3_600_001 }, "auto-expired"],
    ["auto mode not armed", { switchState: { on: true, since: null, autoUntil: null, problem: null } }, "auto-expired"],
    ["not the publisher", { isPublisher: false }, "error"],
    ["every surface silent", { allSilent: true }, "all-silent"],
    ["no other surface beat", { otherSurfaceBeatRecently: false }, "not-stuck"],
    ["prompt too fresh", { promptStoodMs: 60_000 }, "not-stuck"],
    ["prompt age unknown", { promptStoodMs: undefined }, "not-stuck"],
    ["within the cooldown", { lastActionAt: NOW - 60_000 }, "rate-limited"],
    ["not allowlisted", { policy: { allowed: false, refusal: "not-allowlisted", reason: "ls" } }, "not-allowlisted"],
    ["busy", { reading: { kind: "busy", reason: "spinner" } }, "no-prompt"],
  ])("refuses when %s", (_name, change, refusal) => {
    expect(autoGate({ ...auto, ...change })).toMatchObject({ act: false, refusal });
  });
});
