// Maps one Claude Code hook event to the heartbeat it stands for (DESIGN.md "Claude Code hooks"); pure.
import type { HeartbeatPayload } from "../bus/envelope";
import type { HookInput } from "./input";

/** The events the handler turns into heartbeats; the installer registers exactly these. */
export const HANDLED_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "Notification", "SessionEnd"] as const;
export type HandledEvent = (typeof HANDLED_EVENTS)[number];

/** Notification types that mean the session is blocked on the person. */
export const WAITING_NOTIFICATION_TYPES: readonly string[] = ["permission_prompt", "elicitation_dialog"];

/** What the runner learned beyond the event itself. */
export interface MapContext {
  /** Process id of Claude Code, when the installer passed `--pid "$PPID"`. */
  pid?: number | undefined;
  /** Stop only: whether the last assistant turn was a brief acknowledgement; undefined when unknown. */
  briefAck?: boolean | undefined;
}

// Heartbeats are small and other tools print them; keep free text short.
const MAX_NOTE_CHARS = 200;
const MAX_WAITING_CHARS = 300;

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
    if (context.pid !== undefined) payload.pid = context.pid;
    return payload;
  };
  const withNote = (payload: HeartbeatPayload, note: string | undefined): HeartbeatPayload => {
    if (note !== undefined && note.trim() !== "") payload.note = clip(note, MAX_NOTE_CHARS);
    return payload;
  };

  switch (input.hookEventName) {
    case "SessionStart":
      return withNote(base("alive"), input.source);
    case "UserPromptSubmit":
      return base("working");
    case "PreToolUse":
    case "PostToolUse":
      return withNote(base("working"), input.toolName);
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
