// Keeps auto mode to the policy the person confirmed: a wider allowlist or blocklist, from any source (the preferences
// window, prefsSet, a hand edit, --config), or unusable preferences, disarms it and says why; a narrower one is recorded.
import type { ActuatorPolicy } from "../policy/context";
import { policyFingerprint, wideningOf } from "../policy/policy-fingerprint";
import { type RecordContext, recordDecision } from "../record";
import { disarmAutoMode, narrowArmedPolicy, readSwitch, type SwitchState } from "./safety-switch";

/** Why auto mode, armed as `state` says, may not go on under `policy`; undefined when it may. */
export function armedPolicyProblem(state: SwitchState, policy: ActuatorPolicy): string | undefined {
  if (!state.on || state.autoUntil === null) return undefined;
  if (policy.problem !== null) return `the actuator preferences cannot be used (${policy.problem})`;
  if (state.armedPolicy == null) return "it holds no record of the policy it was armed with";
  const widened = wideningOf(state.armedPolicy, policy);
  return widened === undefined ? undefined : `the policy is wider than when it was armed: ${widened}`;
}

/**
 * Checks the armed switch against the policy in force: disarms auto mode (and writes why in the audit log) when the
 * policy widened or cannot be used, records a narrower policy as the one armed. Returns why it disarmed, if it did.
 */
export function enforceArmedPolicy(ctx: RecordContext, policy: ActuatorPolicy, now: Date = new Date()): string | undefined {
  const state = readSwitch(ctx.homeDir);
  if (!state.on || state.autoUntil === null) return undefined;
  const problem = armedPolicyProblem(state, policy);
  if (problem === undefined) {
    const current = policyFingerprint(policy);
    if (state.armedPolicy != null && current.digest !== state.armedPolicy.digest) narrowArmedPolicy(ctx.homeDir, current);
    return undefined;
  }
  const reason = `auto mode was disarmed: ${problem}; arm it again to confirm`;
  disarmAutoMode(ctx.homeDir, reason, now);
  recordDecision(ctx, { surface: null, backend: null, event: "auto-disarmed", prompt: null, decision: "info", reason }, { now });
  return reason;
}
