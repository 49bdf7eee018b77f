// The actuator policy's problems in words, one line each: shown by `otto-tray doctor`, `actuator status` and the log.
import type { ActuatorPolicy } from "../actuator/policy/context";

export function policyProblems(policy: Pick<ActuatorPolicy, "problem" | "dropped">): string[] {
  const lines: string[] = [];
  if (policy.problem !== null) lines.push(`actuator preferences unusable: auto mode stays off and manual mode refuses every answer until they are fixed: ${policy.problem}`);
  for (const d of policy.dropped) lines.push(`auto allowlist entry dropped: "${d.entry}": ${d.why}`);
  return lines;
}
