// Reads and validates preferences: clear errors that name the field, defaults when no file is given.
import type { z } from "zod";
import { UsageError } from "../errors";
import { issuesInWords } from "./issue-words";
import { parsePrefsLenient, type PrefsProblem } from "./lenient";
import { prefsFileFor } from "./location";
import { readPrefsText } from "./read-prefs-text";
import { type Prefs, prefsSchema } from "./schema";

export { PREFS_FILE_NAME } from "./location";

/** Formats zod issues as `field.path: message` lines, in words. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issuesInWords(issues);
}

/** Validates a parsed object; throws a UsageError naming every bad field and its source. */
export function parsePrefs(value: unknown, source = "preferences"): Prefs {
  const result = prefsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new UsageError(`${source}: ${formatIssues(result.error.issues)}`, "fix the named fields or remove them to use the defaults");
}

/** Preferences as loaded: every valid key kept, and each key that was not usable named (each fell back alone). */
export interface LoadedPrefs {
  file: string | undefined;
  prefs: Prefs;
  problems: PrefsProblem[];
}

/**
 * Loads preferences: `--config FILE` when given (it must exist), else `<home>/preferences.json` when present, else
 * the defaults. A bad or unknown key falls back alone and is named in `problems`. A file that cannot be read, is not
 * JSON or not an object throws: which settings it meant cannot be told, so nothing is guessed.
 */
export function loadPrefsLeniently(options: { configFile?: string | undefined; homeDir?: string | undefined }): LoadedPrefs {
  const file = prefsFileFor(options.configFile, options.homeDir);
  if (file === undefined) return { file, prefs: parsePrefs({}), problems: [] };
  const json = readPrefsJson(file);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UsageError(`preferences: ${file} is not a JSON object of preferences`, "write the preferences as { \"key\": value, … }");
  return { file, ...parsePrefsLenient(json as Record<string, unknown>) };
}

/** Loads preferences strictly: any bad key throws a UsageError naming it (for callers that must not guess). */
export function loadPrefs(options: { configFile?: string | undefined; homeDir?: string | undefined }): Prefs {
  const file = prefsFileFor(options.configFile, options.homeDir);
  if (file === undefined) return parsePrefs({});
  return parsePrefs(readPrefsJson(file), file);
}

/** The JSON value of the preferences file, or a UsageError saying why it cannot be read. */
function readPrefsJson(file: string): unknown {
  const read = readPrefsText(file);
  if (read.kind === "missing") throw new UsageError(`--config: cannot read ${file} (ENOENT)`, "pass the path of a preferences JSON file");
  if (read.kind === "problem") throw new UsageError(`preferences: ${read.reason}`, "fix or remove the file (or pass another with --config)");
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`preferences: ${file} is not valid JSON (${(error as Error).message})`, "fix the JSON syntax");
  }
  return json;
}
