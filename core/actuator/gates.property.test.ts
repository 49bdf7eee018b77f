// Property: over random states, no action happens unless every gate allows it (switch, auto mode and its expiry,
// how long the prompt stood, other surfaces' beats, prompt kind and policy, plan use and age, rate limit, publisher).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { autoGate, manualGate } from "./gates";
import type { PolicyDecision } from "./policy/decide";
import type { ScreenReading } from "./screen/types";
import { BASH_PERMISSION_READING } from "../../test-support/screen-readings";

const NOW = Date.parse("2026-11-21T20:00:00Z");
const permission: ScreenReading = BASH_PERMISSION_READING;
const readings = fc.constantFrom<ScreenReading | undefined>(
  permission,
  { kind: "busy", reason: "spinner" },
  { kind: "idle", reason: "input" },
  { kind: "unrecognised", reason: "?" },
  { kind: "other-dialog", question: "trust?", options: [] },
  undefined,
);
const policies = fc.constantFrom<PolicyDecision | undefined>(
  { allowed: true, reason: "ok" },
  { allowed: false, refusal: "blocked", reason: "rm" },
  { allowed: false, refusal: "not-allowlisted", reason: "ls" },
  { allowed: false, refusal: "unrecognised", reason: "?" },
  undefined,
);
const switchStates = fc.record({
  on: fc.boolean(),
  since: fc.constant(null),
  autoUntil: fc.option(fc.integer({ min: -48, max: 48 }).map((h) => new Date(NOW + h * 1_800_000).toISOString()), { nil: null }),
  problem: fc.constant(null),
});

describe("gates (property)", () => {
  it("auto mode acts only when every gate allows", () => {
    fc.assert(
      fc.property(
        fc.record({
          switchState: switchStates,
          busTrusted: fc.boolean(),
          reading: readings,
          policy: policies,
          isPublisher: fc.boolean(),
          promptStoodMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
          autoAfterMs: fc.integer({ min: 0, max: 300_000 }),
          otherSurfaceBeatRecently: fc.boolean(),
          allSilent: fc.boolean(),
          lastActionAt: fc.option(fc.integer({ min: NOW - 3_600_000, max: NOW }), { nil: undefined }),
          cooldownMs: fc.integer({ min: 0, max: 3_600_000 }),
        }),
        (input) => {
          const verdict = autoGate({ ...input, now: NOW });
          const everyGate =
            input.switchState.on &&
            input.switchState.autoUntil !== null &&
            Date.parse(input.switchState.autoUntil) > NOW &&
            input.busTrusted &&
            input.isPublisher &&
            !input.allSilent &&
            input.otherSurfaceBeatRecently &&
            input.promptStoodMs !== undefined &&
            input.promptStoodMs >= input.autoAfterMs &&
            (input.lastActionAt === undefined || NOW - input.lastActionAt >= input.cooldownMs) &&
            input.reading?.kind === "permission" &&
            input.policy?.allowed === true;
          expect(verdict.act).toBe(everyGate);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("a manual confirmation acts only when every gate allows", () => {
    fc.assert(
      fc.property(
        fc.record({
          switchState: switchStates,
          busTrusted: fc.boolean(),
          reading: readings,
          policy: policies,
          samePromptAsPlan: fc.boolean(),
          plan: fc.constantFrom(
            { ok: true as const },
            { ok: false as const, refusal: "plan-used" as const, reason: "used" },
            { ok: false as const, refusal: "plan-expired" as const, reason: "expired" },
            { ok: false as const, refusal: "unknown-plan" as const, reason: "unknown" },
          ),
        }),
        (input) => {
          const verdict = manualGate({ ...input, now: NOW });
          const everyGate = input.switchState.on && input.busTrusted && input.plan.ok && input.reading?.kind === "permission" && input.samePromptAsPlan && input.policy?.allowed === true;
          expect(verdict.act).toBe(everyGate);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
