// Reads and validates preferences: clear errors that name the field, defaults when no file is given.
import type { z } from "zod";
import { UsageError } from "../errors";
import { prefsFileFor } from "./location";
import { readPrefsText } from "./read-prefs-text";
import { type Prefs, prefsSchema } from "./schema";

export { PREFS_FILE_NAME } from "./location";

/** Formats zod issues as `field.path: message` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
      return `${path === "" ? "(top level)" : path}: ${issue.message}`;
    })
    .join("; ");
}

/** Validates a parsed object; throws a UsageError naming every bad field and its source. */
export function parsePrefs(value: unknown, source = "preferences"): Prefs {
  const result = prefsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new UsageError(`${source}: ${formatIssues(result.error.issues)}`, "fix the named fields or remove them to use the defaults");
}

/**
 * Loads preferences: `--config FILE` when given (it must exist), else `<home>/preferences.json` when
 * present, else the defaults.
 */
export function loadPrefs(options: { configFile?: string | undefined; homeDir?: string | undefined }): Prefs {
  const file = prefsFileFor(options.configFile, options.homeDir);
  if (file === undefined) return parsePrefs({});
  const read = readPrefsText(file);
  if (read.kind === "missing") throw new UsageError(`--config: cannot read ${file} (ENOENT)`, "pass the path of a preferences JSON file");
  if (read.kind === "problem") throw new UsageError(`preferences: ${read.reason}`, "fix or remove the file (or pass another with --config)");
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config: ${file} is not valid JSON (${(error as Error).message})`, "fix the JSON syntax");
  }
  return parsePrefs(json, file);
}
