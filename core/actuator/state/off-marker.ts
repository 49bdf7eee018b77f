// The "turned off" marker: written beside the actuator's directory when the switch's own record could not be made off.
import { lstatSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../fs/atomic-write";

/**
 * `<home>/actuator-switch-off`. It lives outside `<home>/actuator` because it is needed exactly when that directory
 * cannot be written (a symlink, someone else's, not writable, a full disk's leftovers): while anything at all is at
 * this path, an "on" record reads as off. Only `actuator on --confirm` removes it. Anyone who can create it can only
 * turn the switch off, so what it holds and who owns it do not matter.
 */
export function offMarkerFile(homeDir: string): string {
  return join(homeDir, "actuator-switch-off");
}

/** True when something is at the marker's path (a file, a FIFO, a directory: presence alone counts); unsure is true. */
export function offMarkerPresent(homeDir: string): boolean {
  try {
    return lstatSync(offMarkerFile(homeDir), { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    // A path through something that is not a directory cannot hold the marker; any other doubt keeps the switch off.
    return (error as NodeJS.ErrnoException).code !== "ENOTDIR";
  }
}

/** Writes the marker; undefined when written, else why not. */
export function writeOffMarker(homeDir: string, why: string, now: Date = new Date()): string | undefined {
  try {
    writeFileAtomic(offMarkerFile(homeDir), `${JSON.stringify({ at: now.toISOString(), why }, null, 2)}\n`, { mode: 0o600, durable: true });
    return undefined;
  } catch (error) {
    return `${offMarkerFile(homeDir)} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** Removes the marker (missing is fine); throws when it stays, so a switch turned on over it is known to read as off. */
export function removeOffMarker(homeDir: string): void {
  try {
    rmSync(offMarkerFile(homeDir), { force: true });
  } catch (error) {
    throw new Error(`${offMarkerFile(homeDir)} cannot be removed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}), so the switch still reads as off; remove it and turn the switch on again`, { cause: error });
  }
}
