// Removes a directory's entries not touched for a while: the one sweep for state files that would otherwise pile up for good.
import { lstatSync, readdirSync, rmSync, type Stats } from "node:fs";
import { join } from "node:path";

/** Removes the entries of `dir` that `accept` takes and whose mtime is older than `maxAgeMs`; a missing dir is fine. */
export function removeEntriesOlderThan(dir: string, maxAgeMs: number, now: number, accept: (stat: Stats) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat !== undefined && accept(stat) && now - stat.mtimeMs > maxAgeMs) rmSync(path, { force: true });
  }
}
