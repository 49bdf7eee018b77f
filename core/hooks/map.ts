// Maps one Claude Code hook event to the heartbeat it stands for (DESIGN.md "Claude Code hooks"); pure.
import { isAbsolute } from "node:path";
import { type HeartbeatPayload, TASK_NOTIFICATION_EVENT } from "../bus/envelope";
import type { HookInput } from "./input";

/**
 * The events the handler turns into heartbeats; the installer registers exactly these (a test checks the
 * set against what the map does with the real recorded events).
 */
export const HANDLED_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PermissionRequest",
  "PostToolUse",
  "PostToolUseFailure",
  "PostToolBatch",
  "Stop",
  "Notification",
  "SessionEnd",
] as const;
export type HandledEvent = (typeof HANDLED_EVENTS)[number];

/** Notification types that mean the session is blocked on the person (`agent_needs_input`: a dialog in auto mode). */
export const WAITING_NOTIFICATION_TYPES: readonly string[] = ["permission_prompt", "elicitation_dialog", "agent_needs_input"];

const TASK_NOTIFICATION_PREFIX = "<task-notification>";

/** What the runner learned beyond the event itself. */
export interface MapContext {
  /** Process id of Claude Code, when the installer passed `--pid "$PPID"`. */
  pid?: number | undefined;
  /** Stop only: whether the last assistant turn was a brief acknowledgement; undefined when unknown. */
  briefAck?: boolean | undefined;
  /** Gemini's BeforeAgent only: the turn is one a hook made the agent go on with (read from its chat file). */
  hookContinuation?: boolean | undefined;
}

// Heartbeats are small and other tools print them; keep free text short.
const MAX_NOTE_CHARS = 200;
const MAX_WAITING_CHARS = 300;
// The input parser's cap on string fields (core/hooks/input.ts): a cwd this long may have been cut.
const MAX_CWD_CHARS = 4096;

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * The notification type, inferred from the message for older Claude Code versions that sent no
 * `notification_type`. The wording patterns live here and nowhere else.
 */
export function notificationTypeOf(input: HookInput): string | undefined {
  if (input.notificationType !== undefined) return input.notificationType;
  const message = input.message ?? "";
  if (/needs your permission/i.test(message)) return "permission_prompt";
  if (/waiting for your input/i.test(message)) return "idle_prompt";
  return undefined;
}

/** True when a Stop heartbeat needs the transcript read (so the runner reads it only then). */
export function needsTranscript(input: HookInput): boolean {
  return input.hookEventName === "Stop";
}

/**
 * The heartbeat for an event, or undefined when the event says nothing about the surface's health
 * (events we do not handle, notification types that neither block nor idle).
 */
export function mapHookEvent(input: HookInput, context: MapContext = {}): HeartbeatPayload | undefined {
  const base = (status: HeartbeatPayload["status"]): HeartbeatPayload => {
    const payload: HeartbeatPayload = { status, event: input.hookEventName };
    if (input.sessionId !== undefined) payload.sessionId = input.sessionId;
    // Lets the detector read the transcript when the surface falls silent (an Esc sends no event).
    if (input.transcriptPath !== undefined) payload.transcriptPath = input.transcriptPath;
    // Lets the actuator judge "inside the project" for prompts it reads elsewhere (an app's windows). A value at the
    // input's length cap may have been cut, and a cut path names another directory: left out, so it stays unknown.
    if (input.cwd !== undefined && isAbsolute(input.cwd) && input.cwd.length < MAX_CWD_CHARS) payload.cwd = input.cwd;
    if (context.pid !== undefined) payload.pid = context.pid;
    return payload;
  };
  const withNote = (payload: HeartbeatPayload, note: string | undefined): HeartbeatPayload => {
    if (note !== undefined && note.trim() !== "") payload.note = clip(note, MAX_NOTE_CHARS);
    return payload;
  };

  switch (input.hookEventName) {
    case "SessionStart":
      // A session starts (or resumes, or is cleared) at its prompt: idle, not working (which would turn hung
      // while nobody types). After /compact the turn may go on.
      return withNote(base(input.source === "compact" ? "alive" : "idle"), input.source);
    case "UserPromptSubmit": {
      const payload = base("working");
      if (input.promptHead?.trimStart().startsWith(TASK_NOTIFICATION_PREFIX) === true) payload.event = TASK_NOTIFICATION_EVENT;
      return payload;
    }
    case "PreToolUse":
    case "PostToolUse":
    case "PostToolUseFailure":
      return withNote(base("working"), input.toolName);
    case "PostToolBatch":
      return base("working");
    case "PermissionRequest": {
      // Fires together with the dialog (Notification permission_prompt comes ~6 s later, or never): waiting at once.
      const payload = base("alive");
      const tool = input.toolName ?? "a tool";
      payload.waiting = clip(input.toolTarget === undefined ? `permission for ${tool}` : `permission for ${tool}: ${input.toolTarget}`, MAX_WAITING_CHARS);
      return payload;
    }
    case "Stop": {
      const payload = base("idle");
      if (context.briefAck !== undefined) payload.briefAck = context.briefAck;
      return payload;
    }
    case "Notification": {
      const type = notificationTypeOf(input);
      if (type !== undefined && WAITING_NOTIFICATION_TYPES.includes(type)) {
        const payload = base("alive");
        payload.waiting = clip(input.message === undefined ? type : `${type}: ${input.message}`, MAX_WAITING_CHARS);
        return payload;
      }
      if (type === "idle_prompt") return withNote(base("idle"), type);
      return undefined;
    }
    case "SessionEnd":
      // `status` must stay in the set other tools understand; the state function reads event SessionEnd as offline.
      return withNote(base("idle"), input.reason);
    default:
      return undefined;
  }
}
