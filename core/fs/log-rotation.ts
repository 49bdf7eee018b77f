// Size-based rotation of append-only logs (`x.log` → `x.log.1` → … → `x.log.N`, the oldest dropped), safe between processes.
import { closeSync, promises as fsp, lstatSync, openSync, renameSync, unlinkSync } from "node:fs";

/** When a log is moved aside and how many moved-aside generations are kept. */
export interface LogRotation {
  /** Past this size the log is rotated before the next append. */
  maxBytes: number;
  /** Previous generations kept (`.1` newest … `.N` oldest); at least 1. */
  generations: number;
}

/** A lock left by a process that died mid-rotation is removed after this long, so rotation cannot stop for good. */
const STALE_LOCK_MS = 30_000;

/** Generation `n` of `file`: the live log for 0, `file.n` after it. */
export function generationPath(file: string, n: number): string {
  return n === 0 ? file : `${file}.${n}`;
}

/** Every generation of `file`, newest (the live log) first. */
export function generationPaths(file: string, rotation: LogRotation): string[] {
  return Array.from({ length: rotation.generations + 1 }, (_, n) => generationPath(file, n));
}

function sizeOf(path: string): number | undefined {
  return lstatSync(path, { throwIfNoEntry: false })?.size;
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Removes a rotation lock older than {@link STALE_LOCK_MS} (its owner died); the next append rotates. */
function clearStaleLock(lock: string, now: number): void {
  const stat = lstatSync(lock, { throwIfNoEntry: false });
  if (stat !== undefined && now - stat.mtimeMs > STALE_LOCK_MS) rmLock(lock);
}

function rmLock(lock: string): void {
  try {
    unlinkSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * Rotates `file` when it is over `rotation.maxBytes`; returns whether it did. Several processes append to the same
 * logs (hooks run side by side), and two rotating at once would shift twice and drop a generation: so rotation
 * happens only under `file.rotating` (created exclusively), and the size is checked again once it is held. A
 * process that finds the lock taken appends without rotating; the log is a few lines over its size for a moment.
 * Throws when the log's directory cannot be written (the caller decides whether appending goes on).
 */
export function rotateIfFull(file: string, rotation: LogRotation, now: number = Date.now()): boolean {
  if ((sizeOf(file) ?? 0) <= rotation.maxBytes) return false;
  const lock = `${file}.rotating`;
  try {
    closeSync(openSync(lock, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    clearStaleLock(lock, now);
    return false;
  }
  try {
    // Checked again under the lock: another process may have rotated between the first look and the lock.
    if ((sizeOf(file) ?? 0) <= rotation.maxBytes) return false;
    for (let n = Math.max(1, rotation.generations); n >= 1; n--) renameIfPresent(generationPath(file, n - 1), generationPath(file, n));
    return true;
  } finally {
    rmLock(lock);
  }
}

/**
 * {@link rotateIfFull} for paths that must not block the main thread: the size is looked at off it, and only a log
 * that is actually full (once per `maxBytes` of appends) is rotated, with a few renames.
 */
export async function rotateIfFullAsync(file: string, rotation: LogRotation, now: number = Date.now()): Promise<boolean> {
  const stat = await fsp.lstat(file).catch(() => undefined);
  if (stat === undefined || stat.size <= rotation.maxBytes) return false;
  return rotateIfFull(file, rotation, now);
}
