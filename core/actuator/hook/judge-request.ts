// Judges a PermissionRequest before the hook waits on it: what the policy refuses in manual mode can never get a
// plan (the blocklist and the unjudgeable rules hold in both modes), so the hook must not hold on to the dialog.
import { decide, type PolicyContext, type PolicyRefusal } from "../policy/decide";
import { chooseAnswer } from "../screen/answer";
import type { PermissionPrompt } from "../screen/types";

export interface RequestRefusal {
  refusal: PolicyRefusal;
  reason: string;
}

/** Why no plan could ever be made for `prompt`, or undefined when a person may still confirm one. Load the parser first. */
export function refusalBeforeWaiting(prompt: PermissionPrompt, policy: Omit<PolicyContext, "mode">): RequestRefusal | undefined {
  const answer = chooseAnswer(prompt.options, "allow-once");
  if (answer === undefined) return { refusal: "unrecognised", reason: "the request offers no single-use allow" };
  // Manual mode is the widest the policy ever is: what it refuses, auto mode refuses too.
  const decision = decide(prompt, answer, { ...policy, mode: "manual" });
  return decision.allowed ? undefined : { refusal: decision.refusal, reason: decision.reason };
}
