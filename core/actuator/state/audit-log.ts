// The audit log: every plan, confirmation, refusal and action, one JSON line each, owner-only, append-only, rotated by size.
import { closeSync, constants, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { boundsMeter } from "../../diagnostics/bounds-meter";
import { OttoError } from "../../errors";
import { generationPaths, type LogRotation, rotateIfFull } from "../../fs/log-rotation";
import { currentUid, openRegularFile } from "../../fs/regular-file";
import { readTailLines } from "../../fs/tail-lines";
import { actuatorDir, ensureActuatorDir } from "./private-dir";

export interface AuditEntry {
  at: string;
  surface: string | null;
  backend: string | null;
  /** What happened: plan, confirm, refuse, act, switch-on, switch-off, auto-on, auto-off, escalate. */
  event: string;
  prompt: unknown;
  decision: "allowed" | "refused" | "done" | "failed" | "info";
  reason: string;
  result?: unknown;
}

/** The audit log's path (the app keys its cached view on it). */
export function auditFile(homeDir: string): string {
  return join(actuatorDir(homeDir), "audit.jsonl");
}

/** The log is rotated at 1 MiB and three previous generations are kept (`audit.jsonl.1` … `.3`): about 4 MiB on disk. */
export const AUDIT_ROTATION: LogRotation = { maxBytes: 1024 * 1024, generations: 3 };

/** The most one read of the audit log reads, whatever `--limit` asks and whatever the files' size. */
export const AUDIT_READ_MAX_BYTES = 1024 * 1024;

/**
 * Appends one entry (a single write of one line, so concurrent writers never interleave within it), after moving
 * a full log aside. Only the log's last byte is read. Throws, naming the file, when it cannot be written: a
 * symlink, FIFO or other non-regular file there, or a file that is not ours, is refused rather than followed.
 */
export function appendAudit(homeDir: string, entry: AuditEntry): void {
  ensureActuatorDir(homeDir);
  const file = auditFile(homeDir);
  try {
    rotateIfFull(file, AUDIT_ROTATION);
  } catch {
    // The entry matters more than the rotation: it is written anyway, and reads stay bounded however big the log gets.
  }
  const opened = openRegularFile(file, currentUid(), constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o600);
  if (!opened.ok) throw new OttoError(`the audit log ${file} ${opened.reason}`, { hint: `move ${file} aside; Otto Tray writes a new one` });
  const { fd, stat } = opened;
  try {
    // A line torn by a crash must not swallow the next entry: start on a fresh line.
    const last = Buffer.alloc(1);
    const torn = stat.size > 0 && readSync(fd, last, 0, 1, stat.size - 1) === 1 && last[0] !== 0x0a;
    writeSync(fd, `${torn ? "\n" : ""}${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: string): AuditEntry | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as AuditEntry) : undefined;
  } catch {
    // A torn line after a crash: skip it rather than hide every other entry.
    return undefined;
  }
}

/** Newest entries read from the end of the log and its generations. */
export interface AuditTail {
  /** Oldest first. */
  entries: AuditEntry[];
  /** True when the byte bound stopped the read before `limit` entries were found and older ones remain. */
  cut: boolean;
}

/**
 * The newest `limit` entries, oldest first, from the end of the log and then its rotated generations, reading at
 * most {@link AUDIT_READ_MAX_BYTES}; lines that are not JSON are skipped. A log that cannot be read is never
 * reported as empty: this throws, naming the file and why.
 */
export function readAuditTail(homeDir: string, limit: number): AuditTail {
  const file = auditFile(homeDir);
  const read = readTailLines(generationPaths(file, AUDIT_ROTATION), { maxItems: limit, maxBytes: AUDIT_READ_MAX_BYTES, uid: currentUid(), parse: parseEntry });
  boundsMeter.observe("audit.readBytes", read.bytesRead, AUDIT_READ_MAX_BYTES);
  if (!read.ok) throw new OttoError(`the audit log cannot be read: ${read.reason}`, { hint: `move it aside (Otto Tray writes a new ${file}) or make it a file you own` });
  if (read.cut) boundsMeter.limitedOnce("audit.readBytes", AUDIT_READ_MAX_BYTES);
  return { entries: read.items.reverse(), cut: read.cut };
}

/** {@link readAuditTail}'s entries. */
export function readAudit(homeDir: string, limit = 50): AuditEntry[] {
  return readAuditTail(homeDir, limit).entries;
}
