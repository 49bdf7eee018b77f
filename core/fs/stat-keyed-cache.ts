// A value read from files, kept until one of the files or directories it was read from changes (a few stats, no reads).
import { lstatSync, type Stats, statSync } from "node:fs";

/**
 * File times are only as fine as the file system's clock (a few ms on Linux, a second on HFS+, a server's clock on
 * a network mount): a file written again in the same tick, at the same size, would keep its key. So a value is
 * kept only when every file it came from had been still for this long before the read began.
 */
export const QUIET_MS = 3000;

const describe = (s: Stats) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.mode}:${s.uid}`;

/** The identity of what is at `path` now (a symlink and what it points at; "-" for nothing), and when it last changed. */
export function statKey(path: string): { key: string; changedAt: number } {
  try {
    const link = lstatSync(path, { throwIfNoEntry: false });
    if (link === undefined) return { key: "-", changedAt: -Infinity };
    if (!link.isSymbolicLink()) return { key: describe(link), changedAt: Math.max(link.mtimeMs, link.ctimeMs) };
    const target = statSync(path, { throwIfNoEntry: false });
    const changedAt = Math.max(link.mtimeMs, link.ctimeMs, target?.mtimeMs ?? -Infinity, target?.ctimeMs ?? -Infinity);
    return { key: `${describe(link)}>${target === undefined ? "-" : describe(target)}`, changedAt };
  } catch (error) {
    // A path through something that is not a directory leads nowhere: nothing is there.
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return { key: "-", changedAt: -Infinity };
    // Unreadable (EACCES, ELOOP, …): a key of its own, and never quiet, so the value is read again every time.
    return { key: `!${(error as NodeJS.ErrnoException).code ?? "error"}`, changedAt: Infinity };
  }
}

function keyOf(paths: readonly string[]): { key: string; changedAt: number } {
  let key = "";
  let changedAt = -Infinity;
  for (const path of paths) {
    const k = statKey(path);
    key += `${k.key}|`;
    changedAt = Math.max(changedAt, k.changedAt);
  }
  return { key, changedAt };
}

/**
 * Reads with `read` (which says every path its value depends on: files and directories, present or not) and keeps
 * the value while none of those paths changes. What depends on the clock or on live processes must be worked out
 * from the value on every use, not inside `read`.
 */
export class StatKeyedCache<T> {
  private entry: { key: string; paths: readonly string[]; value: T } | undefined;

  constructor(
    private readonly read: () => { value: T; paths: readonly string[] },
    private readonly now: () => number = Date.now,
  ) {}

  get(): T {
    const entry = this.entry;
    if (entry !== undefined && keyOf(entry.paths).key === entry.key) return entry.value;
    const startedAt = this.now();
    const { value, paths } = this.read();
    // Keyed after the read: a change during it has a time at or after `startedAt`, so the value is not kept.
    const now = keyOf(paths);
    this.entry = startedAt - now.changedAt > QUIET_MS ? { key: now.key, paths, value } : undefined;
    return value;
  }

  /** Forgets the value (the inputs changed in a way no file shows, e.g. new preferences). */
  clear(): void {
    this.entry = undefined;
  }
}
