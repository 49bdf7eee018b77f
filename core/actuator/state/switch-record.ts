// The safety switch's record seen cheaply: the hook's hot path asks whether it certainly reads off before loading the
// switch's full reader (which loads the policy's schema). Only "off" is ever concluded here; anything else is left
// to the full reader, so this can never turn anything on.
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
export function switchCertainlyOff(homeDir: string): boolean {
  // One non-blocking, non-following open, as the full reader's (a FIFO or a symlink there is left to it).
  const read = readRegularFile(switchFile(homeDir), DEFAULT_MAX_FILE_BYTES, currentUid());
  if (!read.ok) return read.missing;
  try {
    const value = JSON.parse(read.text) as unknown;
    return typeof value === "object" && value !== null && (value as { on?: unknown }).on === false;
  } catch {
    return false;
  }
}
