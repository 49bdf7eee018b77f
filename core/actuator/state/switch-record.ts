// The safety switch's record seen cheaply: the hook's hot path asks whether it certainly reads off before loading the
// switch's full reader (which loads the policy's schema). Only "off" is ever concluded here; anything else is left
// to the full reader, so this can never turn anything on.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { currentUid, DEFAULT_MAX_FILE_BYTES, readRegularFile } from "../../fs/regular-file";
import { actuatorDir } from "./private-dir";

/** The switch record's path (the app keys its cached view on it). */
export function switchFile(homeDir: string): string {
  return join(actuatorDir(homeDir), "switch.json");
}

/**
 * True when the switch certainly reads off: no record at all, or a record of ours that says `"on": false`. False
 * for everything else (on, unreadable, not ours, not JSON, an error): the full reader decides those, failing closed.
 */
export async function switchCertainlyOff(homeDir: string): Promise<boolean> {
  const file = switchFile(homeDir);
  try {
    await lstat(file);
  } catch (error) {
    return (error as { code?: unknown } | null)?.code === "ENOENT";
  }
  const read = readRegularFile(file, DEFAULT_MAX_FILE_BYTES, currentUid());
  if (!read.ok) return false;
  try {
    const value = JSON.parse(read.text) as unknown;
    return typeof value === "object" && value !== null && (value as { on?: unknown }).on === false;
  } catch {
    return false;
  }
}
