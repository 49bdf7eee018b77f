// Atomic file writes and tolerant JSON reads: the one implementation the bus, the pool and the hook installer share.
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, promises as fsp, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ensureDir, ensureDirSync } from "./ensure-dir";
import { currentUid, readOwnJsonFile } from "./regular-file";

export interface AtomicWriteOptions {
  /** File mode to set exactly (the umask does not narrow it); default 0644 narrowed by the umask. */
  mode?: number;
  /**
   * fsync the file before the rename and its directory after it, for files whose loss or emptiness would hurt (a
   * user's settings, the pool's lease records): a power loss then leaves the old file or the new one, never an empty
   * one. Off on hot paths (the bus).
   */
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
      writeAll(fd, Buffer.from(content, "utf8"));
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
  if (options.durable) fsyncDirectory(dir);
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

// write(2) may write less than asked (a full disk, a signal): loop, so a short write can never be renamed into place.
function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) {
    const n = writeSync(fd, bytes, done, bytes.length - done);
    if (n <= 0) throw new Error(`short write (${done} of ${bytes.length} bytes)`);
    done += n;
  }
}

// The rename lives in the directory: without this fsync a power loss can forget it (or, on some file systems, keep
// the name but not the data). File systems that cannot fsync a directory say EINVAL or EISDIR: nothing more to do.
function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "ENOTSUP") throw error;
  } finally {
    closeSync(fd);
  }
}

/** Writes a value as indented JSON, atomically (durably with `options.durable`). */
export function writeJsonAtomic(path: string, value: unknown, options: AtomicWriteOptions = {}): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, options);
}

/** The most a small state file read with readJsonFile may hold. */
export const MAX_STATE_FILE_BYTES = 1024 * 1024;

/**
 * Reads a small JSON state file of ours; undefined when it does not exist, is not valid JSON, or is anything but a
 * regular file we own within the size bound (a FIFO there must not hang the reader). Callers that must say why use
 * readOwnJsonFile.
 */
export function readJsonFile(path: string): unknown {
  const read = readOwnJsonFile(path, MAX_STATE_FILE_BYTES, currentUid());
  return read.kind === "ok" ? read.value : undefined;
}
