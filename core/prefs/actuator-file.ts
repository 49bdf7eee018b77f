// Reads the actuator's policy from a preferences file, failing closed: a file that cannot be read, is not JSON, or
// whose `actuator` section is invalid gives a policy that refuses everything and says why, never the wider defaults.
import { StatKeyedCache } from "../fs/stat-keyed-cache";
import { type ActuatorPolicy, actuatorPolicyOf, unusablePolicy } from "../actuator/policy/context";
import { formatIssues } from "./load";
import { readPrefsText } from "./read-prefs-text";
import { actuatorPrefsSchema } from "./schema";

/**
 * The policy `file` sets. A missing file (or none) is the defaults, as everywhere, unless it `mustExist` (`--config`);
 * any other failure is named. Only
 * the `actuator` section counts: a mistake elsewhere in the file does not loosen (or tighten) the policy.
 */
export function readActuatorPolicy(file: string | undefined, options: { mustExist?: boolean } = {}): ActuatorPolicy {
  if (file === undefined) return actuatorPolicyOf({ actuator: actuatorPrefsSchema.parse({}) });
  const read = readPrefsText(file);
  if (read.kind === "missing") {
    if (options.mustExist !== true) return actuatorPolicyOf({ actuator: actuatorPrefsSchema.parse({}) });
    return unusablePolicy(`${file} cannot be read (ENOENT); make it readable or remove it`);
  }
  if (read.kind === "problem") return unusablePolicy(read.reason);
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return unusablePolicy(`${file} is not valid JSON (${(error as Error).message}); fix its syntax`);
  }
  const section = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>).actuator : undefined;
  if (typeof json !== "object" || json === null || Array.isArray(json)) return unusablePolicy(`${file} is not a JSON object of preferences`);
  const parsed = actuatorPrefsSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const where = formatIssues(parsed.error.issues.map((issue) => ({ ...issue, path: ["actuator", ...issue.path] })));
    return unusablePolicy(`${file}: ${where}; fix the actuator section`);
  }
  return actuatorPolicyOf({ actuator: parsed.data });
}

/** The policy `file` sets, read again only when the file changes (a few stats a look): auto mode asks at every tick. */
export function cachedActuatorPolicy(file: string | undefined): () => ActuatorPolicy {
  if (file === undefined) {
    const defaults = readActuatorPolicy(undefined);
    return () => defaults;
  }
  const cache = new StatKeyedCache(() => ({ value: readActuatorPolicy(file), paths: [file] }));
  return () => cache.get();
}
