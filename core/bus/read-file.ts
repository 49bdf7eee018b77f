// Reads one bus file safely: never follows symlinks, never opens FIFOs or devices, caps the bytes read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;

export type ReadFileResult = { ok: true; text: string; stat: Stats } | { ok: false; reason: string; stat?: Stats };

/**
 * O_NOFOLLOW refuses symlinks; O_NONBLOCK makes opening a FIFO return at once instead of blocking
 * for a writer; fstat on the open descriptor then decides, so a swap between check and open is harmless.
 */
export function readBusFile(path: string, maxBytes: number, uid: number | undefined): ReadFileResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { ok: false, reason: "is a symlink (not followed)" };
    return { ok: false, reason: `cannot be opened (${code ?? "error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: "is not a regular file", stat };
    if (uid !== undefined && stat.uid !== uid) return { ok: false, reason: `is owned by uid ${stat.uid}, not by you`, stat };
    if (stat.size > maxBytes) return { ok: false, reason: `is ${stat.size} bytes, over the ${maxBytes}-byte limit`, stat };
    const buffer = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return { ok: true, text: buffer.toString("utf8", 0, filled), stat };
  } catch (error) {
    return { ok: false, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}
