// What a Claude Code session did after a permission dialog appeared, so a waiting PermissionRequest hook knows
// when the dialog was settled elsewhere (the person answered in the terminal). One JSON line per hook event.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { actuatorDir, ensureActuatorDir } from "../state/private-dir";
import { toolKey } from "./request-prompt";

export interface ProgressEvent {
  at: string;
  event: string;
  toolName?: string;
  toolKey?: string;
  toolUseId?: string;
}

const SESSION_ID = /^[A-Za-z0-9._-]{1,128}$/;

function progressFile(homeDir: string, sessionId: string): string | undefined {
  return SESSION_ID.test(sessionId) ? join(actuatorDir(homeDir), "progress", `${sessionId}.jsonl`) : undefined;
}

/** Appends one hook event of `sessionId` (called by the hook handler for every event while the switch is on). */
export function recordProgress(homeDir: string, sessionId: string, event: { event: string; toolName?: string; toolInput?: unknown; toolUseId?: string }, now = new Date()): void {
  const file = progressFile(homeDir, sessionId);
  if (file === undefined) return;
  ensureActuatorDir(homeDir);
  const entry: ProgressEvent = { at: now.toISOString(), event: event.event };
  if (event.toolName !== undefined) {
    entry.toolName = event.toolName;
    entry.toolKey = toolKey(event.toolName, event.toolInput);
  }
  if (event.toolUseId !== undefined) entry.toolUseId = event.toolUseId;
  mkdirSync(join(actuatorDir(homeDir), "progress"), { recursive: true, mode: 0o700 });
  const fd = openSync(file, "a", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Reads the events appended since byte `offset`; returns them and the new offset. */
export function readProgressSince(homeDir: string, sessionId: string, offset: number): { events: ProgressEvent[]; offset: number } {
  const file = progressFile(homeDir, sessionId);
  if (file === undefined) return { events: [], offset };
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return { events: [], offset };
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { events: [], offset };
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    const text = buffer.toString("utf8");
    const complete = text.lastIndexOf("\n") + 1;
    const events = text
      .slice(0, complete)
      .split("\n")
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as ProgressEvent];
        } catch {
          return [];
        }
      });
    return { events, offset: offset + Buffer.byteLength(text.slice(0, complete)) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a new waiter starts: the end of the session's progress so far, and the tool_use_id of the PreToolUse just
 * before the dialog with the same tool and input (PermissionRequest itself carries no tool_use_id).
 */
export function progressStart(homeDir: string, sessionId: string, key: string): { offset: number; toolUseId: string | undefined } {
  const { events, offset } = readProgressSince(homeDir, sessionId, 0);
  const pre = events.filter((e) => e.event === "PreToolUse" && e.toolKey === key).at(-1);
  return { offset, toolUseId: pre?.toolUseId };
}

// A turn that ended, a new prompt, or the session's end settle every dialog of the session.
const TURN_ENDS = new Set(["Stop", "UserPromptSubmit", "SessionEnd", "StopFailure"]);

/**
 * True when `events` (all after the dialog appeared) show that the dialog for `key` was answered elsewhere: the
 * tool ran or failed (PostToolUse/PostToolUseFailure for the same tool and input, or for the tool_use_id of the
 * PreToolUse that matched it), or the turn ended. A sibling tool's events do not settle it.
 */
export function settles(events: readonly ProgressEvent[], key: string, toolUseId: string | undefined): boolean {
  return events.some((e) => {
    if (TURN_ENDS.has(e.event)) return true;
    if (e.event !== "PostToolUse" && e.event !== "PostToolUseFailure") return false;
    if (toolUseId !== undefined && e.toolUseId !== undefined) return e.toolUseId === toolUseId;
    return e.toolKey === key;
  });
}
