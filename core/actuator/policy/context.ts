// The policy's context as the preferences set it: auto mode's allowlist (templates; old string entries converted or
// dropped and named), the person's blocklist, and whether the section could be used at all, for one working directory.
import type { Prefs } from "../../prefs/schema";
import { type Allowlist, type ArgvTemplate, allowlistFrom, argvTemplateSchema } from "./argv-template-schema";
import type { PolicyContext } from "./decide";
import { DEFAULT_AUTO_ALLOWLIST } from "./default-allowlist";

/** The default allowlist, parsed once (its entries are checked by the same schema as the person's). */
export const DEFAULT_TEMPLATES = DEFAULT_AUTO_ALLOWLIST.map((entry) => argvTemplateSchema.parse(entry));

/** The allowlist in force: the preferences' (string entries converted, `*` patterns dropped) or the default. */
export function allowlistOf(prefs: { actuator: { autoAllowlist?: Prefs["actuator"]["autoAllowlist"] | readonly (string | ArgvTemplate)[] } }): Allowlist {
  const entries = prefs.actuator.autoAllowlist;
  return entries === undefined ? { templates: DEFAULT_TEMPLATES, dropped: [] } : allowlistFrom(entries);
}

/** The actuator policy the preferences set, as every judge uses it. */
export interface ActuatorPolicy {
  templates: ArgvTemplate[];
  blocklist: string[];
  /** Old string entries that did not become a template, each with why (shown in doctor, the popover and the log). */
  dropped: Allowlist["dropped"];
  /** Why the preferences' actuator section cannot be used, or null: while set, auto mode stays off and manual mode refuses. */
  problem: string | null;
}

export function actuatorPolicyOf(prefs: Pick<Prefs, "actuator">): ActuatorPolicy {
  const allowlist = allowlistOf(prefs);
  return { templates: allowlist.templates, blocklist: [...prefs.actuator.blocklist], dropped: allowlist.dropped, problem: null };
}

/** The policy of an actuator section that cannot be read: nothing on the allowlist, and every answer refused with `problem`. */
export function unusablePolicy(problem: string): ActuatorPolicy {
  return { templates: [], blocklist: [], dropped: [], problem };
}

export function policyContextFor(policy: ActuatorPolicy, projectDir: string | null, mode: PolicyContext["mode"]): PolicyContext {
  return { projectDir, mode, autoAllowlist: policy.templates, extraBlocklist: policy.blocklist, problem: policy.problem };
}
