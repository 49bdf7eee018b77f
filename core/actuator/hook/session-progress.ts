// What a Claude Code session did after a permission dialog appeared, so a waiting PermissionRequest hook knows
// when the dialog was settled elsewhere (the person answered in the terminal). One JSON line per hook event.
import { removeEntriesOlderThan } from "../../fs/remove-old-entries";
import { createHash } from "node:crypto";
import { closeSync, constants, lstatSync, mkdirSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { boundsMeter } from "../../diagnostics/bounds-meter";
import { type LogRotation, rotateIfFull } from "../../fs/log-rotation";
import { currentUid, openRegularFile } from "../../fs/regular-file";
import { readTailLines } from "../../fs/tail-lines";
import { actuatorDir, ensureActuatorDir } from "../state/private-dir";
import { toolKey } from "./request-prompt";

export interface ProgressEvent {
  at: string;
  event: string;
  toolName?: string;
  /** A digest of the tool's key ({@link progressKey}): a Write's key holds the whole file, a line must stay small. */
  toolKey?: string;
  toolUseId?: string;
}

/** Where a waiter has read a session's progress to: the file (by inode, so a rotation is followed) and the byte in it. */
export interface ProgressCursor {
  /** The inode of the file read; undefined before the session has a progress file. */
  ino: number | undefined;
  offset: number;
}

const SESSION_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A session's progress is moved to `.1` past 1 MiB (a long session appends one line per hook event for days). */
export const PROGRESS_ROTATION: LogRotation = { maxBytes: 1024 * 1024, generations: 1 };
/** The most one look at a session's progress reads; a waiter polls, so more is read on the next look. */
export const PROGRESS_READ_MAX_BYTES = 256 * 1024;
/** Progress files of sessions silent this long are removed when a new session starts (their waiters are long gone). */
const STALE_SESSION_MS = 7 * 24 * 3600_000;

function progressDir(homeDir: string): string {
  return join(actuatorDir(homeDir), "progress");
}

function progressFile(homeDir: string, sessionId: string): string | undefined {
  return SESSION_ID.test(sessionId) ? join(progressDir(homeDir), `${sessionId}.jsonl`) : undefined;
}

/** The digest a progress line carries for a tool key. */
export function progressKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Removes the progress of sessions silent for a week: one file per session would otherwise pile up for good. */
function removeStaleSessions(homeDir: string, now: number): void {
  removeEntriesOlderThan(progressDir(homeDir), STALE_SESSION_MS, now, (stat) => stat.isFile());
}

/** Appends one hook event of `sessionId` (called by the hook handler for every event while the switch is on). */
export function recordProgress(homeDir: string, sessionId: string, event: { event: string; toolName?: string; toolInput?: unknown; toolUseId?: string }, now = new Date()): void {
  const file = progressFile(homeDir, sessionId);
  if (file === undefined) return;
  ensureActuatorDir(homeDir);
  const entry: ProgressEvent = { at: now.toISOString(), event: event.event };
  if (event.toolName !== undefined) {
    entry.toolName = event.toolName;
    entry.toolKey = progressKey(toolKey(event.toolName, event.toolInput));
  }
  if (event.toolUseId !== undefined) entry.toolUseId = event.toolUseId;
  mkdirSync(progressDir(homeDir), { recursive: true, mode: 0o700 });
  if (lstatSync(file, { throwIfNoEntry: false }) === undefined) removeStaleSessions(homeDir, now.getTime());
  rotateIfFull(file, PROGRESS_ROTATION, now.getTime());
  const opened = openRegularFile(file, currentUid(), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  if (!opened.ok) throw new Error(`the session progress file ${file} ${opened.reason}`);
  try {
    writeSync(opened.fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(opened.fd);
  }
}

function parseEvents(text: string): ProgressEvent[] {
  return text
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as ProgressEvent];
      } catch {
        return [];
      }
    });
}

type Chunk = { kind: "read"; ino: number; events: ProgressEvent[]; offset: number; atEnd: boolean } | { kind: "other-file" } | { kind: "missing" };

/** Reads whole lines of `path` from `offset`, at most {@link PROGRESS_READ_MAX_BYTES}, if it is the file `ino` (any file when undefined). */
function readChunk(path: string, ino: number | undefined, offset: number): Chunk {
  const opened = openRegularFile(path, currentUid());
  if (!opened.ok) return opened.missing ? { kind: "missing" } : { kind: "other-file" };
  try {
    const { stat } = opened;
    if (ino !== undefined && stat.ino !== ino) return { kind: "other-file" };
    const start = ino === undefined ? 0 : offset;
    if (stat.size <= start) return { kind: "read", ino: stat.ino, events: [], offset: start, atEnd: true };
    const buffer = Buffer.allocUnsafe(Math.min(stat.size - start, PROGRESS_READ_MAX_BYTES));
    const filled = readSync(opened.fd, buffer, 0, buffer.length, start);
    boundsMeter.observe("progress.readBytes", filled, PROGRESS_READ_MAX_BYTES);
    const complete = filled === 0 ? 0 : buffer.lastIndexOf(0x0a, filled - 1) + 1;
    // A line longer than a whole read is no event this code wrote: skip it rather than stall on it.
    const used = complete === 0 && filled === PROGRESS_READ_MAX_BYTES ? filled : complete;
    const events = parseEvents(buffer.toString("utf8", 0, complete));
    return { kind: "read", ino: stat.ino, events, offset: start + used, atEnd: start + used >= stat.size };
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * Reads the events appended since `cursor`, at most {@link PROGRESS_READ_MAX_BYTES} a call; returns them and the
 * new cursor. When the file was rotated since, the rest of the old one (now `.1`) is read first, so no event
 * between two looks is skipped.
 */
export function readProgressSince(homeDir: string, sessionId: string, cursor: ProgressCursor): { events: ProgressEvent[]; cursor: ProgressCursor } {
  const file = progressFile(homeDir, sessionId);
  if (file === undefined) return { events: [], cursor };
  if (cursor.ino !== undefined) {
    const current = readChunk(file, cursor.ino, cursor.offset);
    if (current.kind === "read") return { events: current.events, cursor: { ino: current.ino, offset: current.offset } };
    const older = readChunk(`${file}.1`, cursor.ino, cursor.offset);
    if (older.kind === "read") {
      // The old file read to its end: the next look starts the new one from its start.
      const next = older.atEnd ? { ino: undefined, offset: 0 } : { ino: older.ino, offset: older.offset };
      return { events: older.events, cursor: next };
    }
    // Rotated away twice between two looks (or removed): what is left is the current file, from its start.
  }
  const fresh = readChunk(file, undefined, 0);
  return fresh.kind === "read" ? { events: fresh.events, cursor: { ino: fresh.ino, offset: fresh.offset } } : { events: [], cursor: { ino: undefined, offset: 0 } };
}

/**
 * Where a new waiter starts: the end of the session's progress so far, and the tool_use_id of the PreToolUse just
 * before the dialog with the same tool and input (PermissionRequest itself carries no tool_use_id). Only the end of
 * the progress is read: the PreToolUse came just before the dialog.
 */
export function progressStart(homeDir: string, sessionId: string, key: string): { cursor: ProgressCursor; toolUseId: string | undefined } {
  const file = progressFile(homeDir, sessionId);
  if (file === undefined) return { cursor: { ino: undefined, offset: 0 }, toolUseId: undefined };
  const stat = lstatSync(file, { throwIfNoEntry: false });
  const cursor = stat?.isFile() === true ? { ino: stat.ino, offset: stat.size } : { ino: undefined, offset: 0 };
  const digest = progressKey(key);
  const pre = readTailLines([file], {
    maxItems: 1,
    maxBytes: PROGRESS_READ_MAX_BYTES,
    uid: currentUid(),
    parse: (line) => {
      const [event] = parseEvents(line);
      return event?.event === "PreToolUse" && event.toolKey === digest ? event : undefined;
    },
  });
  if (pre.ok) boundsMeter.observe("progress.readBytes", pre.bytesRead, PROGRESS_READ_MAX_BYTES);
  return { cursor, toolUseId: pre.ok ? pre.items[0]?.toolUseId : undefined };
}

// A turn that ended, a new prompt, or the session's end settle every dialog of the session.
const TURN_ENDS = new Set(["Stop", "UserPromptSubmit", "SessionEnd", "StopFailure"]);

/**
 * True when `events` (all after the dialog appeared) show that the dialog for `key` was answered elsewhere: the
 * tool ran or failed (PostToolUse/PostToolUseFailure for the same tool and input, or for the tool_use_id of the
 * PreToolUse that matched it), or the turn ended. A sibling tool's events do not settle it.
 */
export function settles(events: readonly ProgressEvent[], key: string, toolUseId: string | undefined): boolean {
  const digest = progressKey(key);
  return events.some((e) => {
    if (TURN_ENDS.has(e.event)) return true;
    if (e.event !== "PostToolUse" && e.event !== "PostToolUseFailure") return false;
    if (toolUseId !== undefined && e.toolUseId !== undefined) return e.toolUseId === toolUseId;
    return e.toolKey === digest;
  });
}
