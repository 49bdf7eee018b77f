// Reads the newest lines of an append-only log and its rotated generations from their end, in bounded chunks.
import { closeSync, readSync } from "node:fs";
import { openRegularFile } from "./regular-file";

/** Bytes read from a file's end at a time. */
const CHUNK_BYTES = 64 * 1024;

export interface TailLinesOptions<T> {
  /** Stop once this many lines were accepted. */
  maxItems: number;
  /** Stop once this many bytes were read, over all the files. */
  maxBytes: number;
  /** The owner every file must have (undefined: any). */
  uid: number | undefined;
  /** A line's value, or undefined to skip it (a line torn by a crash, a line that is not an entry). */
  parse: (line: string) => T | undefined;
}

export type TailLinesResult<T> =
  | {
      ok: true;
      /** Newest first. */
      items: T[];
      bytesRead: number;
      /** True when `maxBytes` stopped the read with older lines left unread. */
      cut: boolean;
    }
  | { ok: false; reason: string; bytesRead: number };

/** Reads `length` bytes at `position` (fewer if the file shrank meanwhile). */
function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/**
 * The newest accepted lines of `paths` (newest file first: a log, then `.1`, `.2`…), reading each file backwards
 * from its end in chunks and never more than `maxBytes` in all, so a log of any size costs the same. A line cut by
 * the byte bound (the first, torn line of what was read) is dropped. Missing files are skipped; any other file that
 * cannot be opened as a regular file (a directory, a FIFO, a symlink, another user's file) is a failure naming the
 * path, never an empty log.
 */
export function readTailLines<T>(paths: readonly string[], options: TailLinesOptions<T>): TailLinesResult<T> {
  const items: T[] = [];
  let bytesRead = 0;
  const accept = (line: Buffer): void => {
    if (line.length === 0) return;
    const text = line.toString("utf8");
    if (text.trim() === "") return;
    const value = options.parse(text);
    if (value !== undefined) items.push(value);
  };
  for (const path of paths) {
    if (items.length >= options.maxItems) break;
    const opened = openRegularFile(path, options.uid);
    if (!opened.ok) {
      if (opened.missing) continue;
      return { ok: false, reason: `${path} ${opened.reason}`, bytesRead };
    }
    try {
      let position = opened.stat.size;
      // Bytes after `position` not yet known to be a whole line (the start of a line that began earlier).
      let rest: Buffer = Buffer.alloc(0);
      while (position > 0 && items.length < options.maxItems) {
        const budget = options.maxBytes - bytesRead;
        if (budget <= 0) return { ok: true, items, bytesRead, cut: true };
        const length = Math.min(CHUNK_BYTES, position, budget);
        position -= length;
        const chunk = readAt(opened.fd, length, position);
        bytesRead += chunk.length;
        const buffer = rest.length === 0 ? chunk : Buffer.concat([chunk, rest]);
        let end = buffer.length;
        for (let nl = buffer.lastIndexOf(0x0a, end - 1); nl >= 0 && items.length < options.maxItems; nl = nl === 0 ? -1 : buffer.lastIndexOf(0x0a, nl - 1)) {
          accept(buffer.subarray(nl + 1, end));
          end = nl;
        }
        rest = buffer.subarray(0, end);
      }
      // At the file's start the remainder is its first line, whole.
      if (position === 0 && items.length < options.maxItems) accept(rest);
    } catch (error) {
      return { ok: false, reason: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, bytesRead };
    } finally {
      closeSync(opened.fd);
    }
  }
  return { ok: true, items, bytesRead, cut: false };
}
