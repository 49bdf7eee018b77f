// One map per agent from its hook events to heartbeats (written from what Codex CLI 0.171.0 and Gemini CLI 0.61.0
// really send: test-support/fixtures/codex-real, gemini-real); Claude Code's is core/hooks/map.ts.
import { HOOK_CONTINUATION_EVENT, type HeartbeatPayload } from "../../bus/envelope";
import type { Agent } from "../../prefs/schema";
import type { HookInput } from "../input";
import { type MapContext, mapHookEvent } from "../map";

/** The Gemini CLI events Otto Tray installs (the per-model and per-chunk ones would flood the bus and say nothing more). */
export const GEMINI_EVENTS = ["SessionStart", "BeforeAgent", "BeforeTool", "AfterTool", "Notification", "AfterAgent", "SessionEnd"] as const;

const MAX_WAITING_CHARS = 300;
const clip = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_WAITING_CHARS ? `${line.slice(0, MAX_WAITING_CHARS - 1)}…` : line;
};

/**
 * Gemini CLI 0.61.0: a turn runs from BeforeAgent to AfterAgent; its permission dialog fires Notification
 * `ToolPermission` with the command in `details`; SessionEnd (sent two or three times on exit) makes it offline.
 * A dialog the person rejects sends nothing more: the detector reads that from the chat file (transcriptPath).
 */
export function mapGeminiEvent(input: HookInput, context: MapContext = {}): HeartbeatPayload | undefined {
  const base = (status: HeartbeatPayload["status"]): HeartbeatPayload => {
    const payload: HeartbeatPayload = { status, event: input.hookEventName };
    if (input.sessionId !== undefined) payload.sessionId = input.sessionId;
    // Lets the detector read the chat file while the surface waits: a rejected dialog sends no event but is written there.
    if (input.transcriptPath !== undefined) payload.transcriptPath = input.transcriptPath;
    if (input.cwd !== undefined) payload.cwd = input.cwd;
    if (context.pid !== undefined) payload.pid = context.pid;
    return payload;
  };
  switch (input.hookEventName) {
    case "SessionStart":
      return base("idle");
    case "BeforeAgent": {
      const payload = base("working");
      // Gemini fires BeforeAgent again when an AfterAgent hook makes it go on: not the person speaking.
      if (context.hookContinuation === true) payload.event = HOOK_CONTINUATION_EVENT;
      return payload;
    }
    case "BeforeTool":
    case "AfterTool": {
      const payload = base("working");
      if (input.toolName !== undefined) payload.note = input.toolName;
      return payload;
    }
    case "Notification": {
      if (input.notificationType !== "ToolPermission") return undefined;
      const payload = base("alive");
      payload.waiting = clip(input.detailsCommand === undefined ? "permission for a tool" : `permission for shell: ${input.detailsCommand}`);
      return payload;
    }
    case "AfterAgent": {
      // Read from the chat file by the runner (its prompt_response is garbled): a short reply with no tool is brief.
      const payload = base("idle");
      if (context.briefAck !== undefined) payload.briefAck = context.briefAck;
      return payload;
    }
    case "SessionEnd": {
      const payload = base("idle");
      if (input.reason !== undefined) payload.note = input.reason;
      return payload;
    }
    default:
      return undefined;
  }
}

/**
 * Codex CLI 0.171.0 sends Claude Code's event names and fields (tool_name "Bash", tool_input.command, Stop's
 * last_assistant_message, SessionEnd): Claude Code's map reads it as it is, without a Notification event.
 */
export function mapCodexEvent(input: HookInput, context: MapContext = {}): HeartbeatPayload | undefined {
  return input.hookEventName === "Notification" ? undefined : mapHookEvent(input, context);
}

/** The heartbeat for `agent`'s event. */
export function mapAgentEvent(agent: Agent, input: HookInput, context: MapContext = {}): HeartbeatPayload | undefined {
  if (agent === "gemini") return mapGeminiEvent(input, context);
  if (agent === "codex") return mapCodexEvent(input, context);
  return mapHookEvent(input, context);
}
