// Reads a preferences file's text without ever blocking: a regular file the user owns, at most 1 MiB, or why not.
import { currentUid, readRegularFile } from "../fs/regular-file";

/** Preferences are a few kilobytes; a file past this is not one (and reading it whole would cost memory). */
export const MAX_PREFS_BYTES = 1024 * 1024;

export type PrefsText = { kind: "missing" } | { kind: "ok"; text: string } | { kind: "problem"; reason: string };

/**
 * The text of `file`. A FIFO, socket, device or directory there, a file someone else owns (its actuator section is
 * authority) or one over {@link MAX_PREFS_BYTES} is a problem naming the file and what to do, found without waiting:
 * the hook and `status` must end even when a FIFO sits where the preferences belong. A symlink is followed (a
 * dotfiles repository may hold the preferences) and the file it leads to is judged the same way.
 */
export function readPrefsText(file: string): PrefsText {
  const read = readRegularFile(file, MAX_PREFS_BYTES, currentUid(), { followSymlinks: true });
  if (read.ok) return { kind: "ok", text: read.text };
  if (read.missing) return { kind: "missing" };
  return { kind: "problem", reason: `${file} ${read.reason}; preferences must be a regular JSON file you own, at most ${MAX_PREFS_BYTES / 1024 / 1024} MiB` };
}
