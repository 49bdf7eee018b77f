// Atomic file writes and tolerant JSON reads: the one implementation the bus, the pool and the hook installer share.
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, promises as fsp, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ensureDir, ensureDirSync } from "./ensure-dir";

export interface AtomicWriteOptions {
  /** File mode to set exactly (the umask does not narrow it); default 0644 narrowed by the umask. */
  mode?: number;
  /** fsync before the rename, for files whose loss would hurt (a user's settings); off on hot paths. */
  durable?: boolean;
}

/**
 * Writes `content` so readers see the old file or the new one, never half: a temporary file in the same
 * directory, renamed over `path`. The temporary name starts with a dot and does not end in `.json`, so the
 * bus reader (and anything that skips dot-files) never mistakes it for a message. Missing parent
 * directories are created private (0700).
 */
export function writeFileAtomic(path: string, content: string, options: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  ensureDirSync(dir);
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, "wx", options.mode ?? 0o644);
    try {
      writeSync(fd, content);
      if (options.mode !== undefined) fchmodSync(fd, options.mode);
      if (options.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * {@link writeFileAtomic} with every file-system call off the main thread, for callers that must stay able
 * to give up on a deadline (the hook handler: a hung mount must not hang Claude Code's tool call).
 */
export async function writeFileAtomicAsync(path: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  await ensureDir(dirname(path));
  const temp = tempPathFor(path);
  try {
    const handle = await fsp.open(temp, "wx", options.mode ?? 0o644);
    try {
      await handle.writeFile(content);
      if (options.mode !== undefined) await handle.chmod(options.mode);
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, path);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

/** Writes a value as indented JSON, atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a JSON file; undefined when it does not exist or is not valid JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
