// Whether a directory's list of names can have changed since it was last listed: its inode, mtime and ctime.
import { statSync } from "node:fs";

/**
 * A directory's mtime is only as fine as the file system's clock (a few ms on Linux, a second on HFS+, and a
 * remote server's clock on a network mount): an entry added in the same tick as the stamp leaves the mtime as
 * it was. A stamp proves "unchanged" only when the directory had been still for this long when it was taken.
 */
export const QUIET_MARGIN_MS = 3000;

/** What a directory looked like just before it was listed. */
export interface DirStamp {
  key: string;
  changedAt: number;
  takenAt: number;
}

/** Stats `dir` (following a symlink, as listing it does); undefined when it cannot be stat'ed. */
export function stampDir(dir: string, now: number = Date.now()): DirStamp | undefined {
  try {
    const s = statSync(dir);
    return { key: `${s.dev}:${s.ino}:${s.mtimeMs}:${s.ctimeMs}`, changedAt: Math.max(s.mtimeMs, s.ctimeMs), takenAt: now };
  } catch {
    return undefined;
  }
}

/**
 * True when listing the directory now would show exactly the names a listing after `listed` showed: the same
 * directory, not modified since, and quiet long enough before `listed` was taken that no same-tick change hides.
 * Adding, removing or renaming an entry changes the directory's mtime; writing inside an existing file does not.
 */
export function sameNames(listed: DirStamp | undefined, current: DirStamp | undefined): boolean {
  return listed !== undefined && current !== undefined && listed.key === current.key && listed.takenAt - listed.changedAt > QUIET_MARGIN_MS;
}
