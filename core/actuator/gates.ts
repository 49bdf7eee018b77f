// Every condition that must hold before a key is pressed or a decision printed, as pure functions of what is known.
import type { PolicyDecision } from "./policy/decide";
import { type GateVerdict, refuse } from "./refusals";
import type { ScreenReading } from "./screen/types";
import { autoModeActive, type SwitchState } from "./state/safety-switch";

/** What a manual confirmation knows at the moment it would act. */
export interface ManualGateInput {
  now: number;
  switchState: SwitchState;
  busTrusted: boolean;
  /** The plan as taken from the state directory (already checked for use and expiry by takePlan). */
  plan: { ok: true } | { ok: false; refusal: "plan-expired" | "plan-used" | "unknown-plan"; reason: string };
  /** The screen (or pending request) read again right now. */
  reading: ScreenReading | undefined;
  /** True when what is seen now is exactly the prompt the plan was made for. */
  samePromptAsPlan: boolean;
  policy: PolicyDecision | undefined;
}

/** The manual unstick's gates, in the order a refusal is reported. */
export function manualGate(input: ManualGateInput): GateVerdict {
  if (!input.switchState.on) return refuse("switch-off", input.switchState.problem ?? "the safety switch is off");
  if (!input.busTrusted) return refuse("bus-untrusted", "the bus directory is not trusted");
  if (!input.plan.ok) return refuse(input.plan.refusal === "unknown-plan" ? "error" : input.plan.refusal, input.plan.reason);
  return promptGates(input.reading, input.samePromptAsPlan, input.policy);
}

function promptGates(reading: ScreenReading | undefined, same: boolean, policy: PolicyDecision | undefined): GateVerdict {
  if (reading === undefined) return refuse("error", "the surface could not be read");
  if (reading.kind === "busy" || reading.kind === "idle") return refuse("no-prompt", `no prompt on screen (${reading.reason})`);
  if (reading.kind !== "permission") return refuse("unrecognised", reading.kind === "unrecognised" ? reading.reason : "a dialog that is not a permission prompt");
  if (!same) return refuse("prompt-changed", "the prompt (its whole text, the directory it runs in, or its target) is not the one the plan was made for");
  if (policy === undefined) return refuse("error", "no policy decision");
  if (!policy.allowed) return refuse(policy.refusal, policy.reason);
  return { act: true };
}

/** What auto mode knows about one surface at the moment it would act. */
export interface AutoGateInput extends Omit<ManualGateInput, "plan" | "samePromptAsPlan"> {
  /** This process holds the bus's publisher lock (only the publisher acts). */
  isPublisher: boolean;
  /** How long the same prompt has stood on screen, in ms (undefined: unknown). */
  promptStoodMs: number | undefined;
  autoAfterMs: number;
  /** Another surface beat within the quorum window (the machine is awake, the watcher not blind). */
  otherSurfaceBeatRecently: boolean;
  /** Every surface silent at once: suspect sleep or an outage. */
  allSilent: boolean;
  /** When auto mode last acted on this surface (ms), and the cooldown. */
  lastActionAt: number | undefined;
  cooldownMs: number;
}

/** Auto mode's gates: everything manual needs (but a plan), plus being stuck, awake, the publisher, and not too often. */
export function autoGate(input: AutoGateInput): GateVerdict {
  if (!input.switchState.on) return refuse("switch-off", input.switchState.problem ?? "the safety switch is off");
  if (!autoModeActive(input.switchState, input.now)) return refuse("auto-expired", "auto mode is not armed or has expired");
  if (!input.busTrusted) return refuse("bus-untrusted", "the bus directory is not trusted");
  if (!input.isPublisher) return refuse("error", "another detector holds the publisher lock and acts for this bus");
  if (input.allSilent) return refuse("all-silent", "every surface is silent: suspect sleep or an outage, not a stuck prompt");
  if (!input.otherSurfaceBeatRecently) return refuse("not-stuck", "no other surface beat within the quorum window");
  if (input.promptStoodMs === undefined || input.promptStoodMs < input.autoAfterMs) {
    return refuse("not-stuck", "the prompt has not stood long enough: the person still has their chance");
  }
  if (input.lastActionAt !== undefined && input.now - input.lastActionAt < input.cooldownMs) return refuse("rate-limited", "auto mode acted on this surface within the cooldown");
  return promptGates(input.reading, true, input.policy);
}
