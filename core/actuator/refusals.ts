// The reasons the safety model refuses to act (exit 5 in the CLI), one vocabulary for every backend and adapter.

export const REFUSALS = [
  "switch-off",
  "no-prompt",
  "unrecognised",
  "not-allowlisted",
  "blocked",
  "unjudgeable",
  "plan-expired",
  "plan-used",
  "prompt-changed",
  "rate-limited",
  "not-stuck",
  "all-silent",
  "auto-expired",
  "bus-untrusted",
  "no-backend",
  "error",
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** Refusals about the prompt itself that a person must see (escalated on the bus), in every backend and mode. */
export function escalates(refusal: Refusal | string): boolean {
  return refusal === "blocked" || refusal === "unjudgeable" || refusal === "unrecognised";
}

/** A gate's verdict: act, or refuse with a reason a person can read. */
export type GateVerdict = { act: true } | { act: false; refusal: Refusal; reason: string };

export function refuse(refusal: Refusal, reason: string): GateVerdict {
  return { act: false, refusal, reason };
}
