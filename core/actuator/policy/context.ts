// The policy's context as the preferences set it: auto mode's allowlist (templates; old string entries converted or
// dropped and named) and the person's blocklist, for one surface's working directory.
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

export function policyContextFor(prefs: Pick<Prefs, "actuator">, projectDir: string | null, mode: PolicyContext["mode"]): PolicyContext {
  return { projectDir, mode, autoAllowlist: allowlistOf(prefs).templates, extraBlocklist: prefs.actuator.blocklist };
}
