// Where preferences live; kept apart from the schema so callers on hot paths need not load zod.
import { existsSync } from "node:fs";
import { join } from "node:path";

export const PREFS_FILE_NAME = "preferences.json";

/** `--config FILE` when given, else `<home>/preferences.json` when it exists, else undefined (defaults). */
export function prefsFileFor(configFile: string | undefined, homeDir: string | undefined): string | undefined {
  if (configFile !== undefined) return configFile;
  if (homeDir === undefined) return undefined;
  const candidate = join(homeDir, PREFS_FILE_NAME);
  return existsSync(candidate) ? candidate : undefined;
}
