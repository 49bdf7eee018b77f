// The bus trust check of DESIGN.md: owned by the current user and not writable by others.
import { lstatSync, statSync } from "node:fs";
import { currentUid } from "../fs/regular-file";

export interface BusTrust {
  exists: boolean;
  trusted: boolean;
  /** The directory does not exist yet (the first heartbeat makes it): untrusted all the same, but not a trust problem to alarm about. */
  missing?: boolean;
  /** Why the bus is not trusted (absent when it is). */
  reason?: string;
}

export { currentUid } from "../fs/regular-file";

export function checkBusTrust(dir: string, uid: number | undefined = currentUid()): BusTrust {
  let link;
  try {
    link = lstatSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { exists: false, trusted: false, missing: true, reason: `${dir} does not exist yet` };
    return { exists: false, trusted: false, reason: `${dir} cannot be read (${code ?? "error"})` };
  }
  // A symlinked bus is trusted only if both the link and its target are ours.
  let target = link;
  if (link.isSymbolicLink()) {
    try {
      target = statSync(dir);
    } catch {
      return { exists: false, trusted: false, reason: `${dir} is a dangling symlink` };
    }
  }
  if (!target.isDirectory()) return { exists: true, trusted: false, reason: `${dir} is not a directory` };
  if (uid !== undefined) {
    for (const s of [link, target]) {
      if (s.uid !== uid) return { exists: true, trusted: false, reason: `${dir} is owned by uid ${s.uid}, not by you (uid ${uid})` };
    }
  }
  if ((target.mode & 0o002) !== 0) {
    return { exists: true, trusted: false, reason: `${dir} is writable by other users (mode ${(target.mode & 0o777).toString(8)}); run chmod o-w on it` };
  }
  return { exists: true, trusted: true };
}
