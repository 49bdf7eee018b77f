// Reads a file others may tamper with: never follows symlinks, never blocks on FIFOs or devices, caps the bytes read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

/** The uid files must belong to; undefined where the platform has no uids. */
export function currentUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

export type ReadFileResult = { ok: true; text: string; stat: Stats } | { ok: false; reason: string; missing: boolean; stat?: Stats };

export type OpenFileResult = { ok: true; fd: number; stat: Stats } | { ok: false; reason: string; missing: boolean; stat?: Stats };

/**
 * Opens a regular file others may tamper with. O_NOFOLLOW refuses symlinks; O_NONBLOCK makes opening a FIFO
 * return at once instead of blocking for a writer; fstat on the open descriptor then decides, so a swap between
 * check and open is harmless. `uid` undefined accepts any owner (files another user may legitimately own, such as
 * a shared lock). `flags` adds to O_NOFOLLOW|O_NONBLOCK (O_RDONLY when none); the caller closes `fd`.
 * `followSymlinks` is for files a person may keep as a link (preferences in a dotfiles repository): what is
 * judged is then the file the link leads to, still never a FIFO, still only a regular file of `uid`'s.
 */
export function openRegularFile(path: string, uid: number | undefined, flags: number = constants.O_RDONLY, mode = 0o600, followSymlinks = false): OpenFileResult {
  let fd: number;
  try {
    fd = openSync(path, flags | (followSymlinks ? 0 : constants.O_NOFOLLOW) | constants.O_NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP" && !followSymlinks) return { ok: false, reason: "is a symlink (not followed)", missing: false };
    return { ok: false, reason: `cannot be opened (${code ?? "error"})`, missing: code === "ENOENT" };
  }
  let problem: string | undefined;
  let stat: Stats | undefined;
  try {
    stat = fstatSync(fd);
    if (!stat.isFile()) problem = "is not a regular file";
    else if (uid !== undefined && stat.uid !== uid) problem = `is owned by uid ${stat.uid}, not by you`;
  } catch (error) {
    problem = `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (problem === undefined && stat !== undefined) return { ok: true, fd, stat };
  closeSync(fd);
  return stat === undefined ? { ok: false, reason: problem ?? "cannot be read", missing: false } : { ok: false, reason: problem ?? "cannot be read", missing: false, stat };
}

/** Reads a whole regular file of at most `maxBytes` (see {@link openRegularFile} for what is refused). */
export function readRegularFile(path: string, maxBytes: number, uid: number | undefined, options: { followSymlinks?: boolean } = {}): ReadFileResult {
  const opened = openRegularFile(path, uid, constants.O_RDONLY, 0o600, options.followSymlinks === true);
  if (!opened.ok) return opened;
  const { fd, stat } = opened;
  try {
    if (stat.size > maxBytes) return { ok: false, reason: `is ${stat.size} bytes, over the ${maxBytes}-byte limit`, missing: false, stat };
    // One byte more than the limit: a file that grew since fstat is caught rather than cut silently.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    if (filled > maxBytes) return { ok: false, reason: `grew past the ${maxBytes}-byte limit while being read`, missing: false, stat };
    return { ok: true, text: buffer.toString("utf8", 0, filled), stat };
  } catch (error) {
    return { ok: false, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, missing: false };
  } finally {
    closeSync(fd);
  }
}

export type JsonFileResult = { kind: "missing" } | { kind: "ok"; value: unknown } | { kind: "problem"; reason: string };

/** Reads a small JSON state file we own: missing, its value, or why it cannot be trusted (`path` named in the reason). */
export function readOwnJsonFile(path: string, maxBytes: number, uid: number | undefined): JsonFileResult {
  const read = readRegularFile(path, maxBytes, uid);
  if (!read.ok) return read.missing ? { kind: "missing" } : { kind: "problem", reason: `${path} ${read.reason}` };
  try {
    return { kind: "ok", value: JSON.parse(read.text) as unknown };
  } catch (error) {
    return { kind: "problem", reason: `${path} is not valid JSON (${(error as Error).message})` };
  }
}
