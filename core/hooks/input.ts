// Parses the JSON Claude Code writes to a hook's stdin, defensively: anything unexpected becomes "absent", never a throw.

/** The fields of a hook event that Otto Tray reads; every one may be missing on a malformed or older event. */
export interface HookInput {
  hookEventName: string;
  sessionId?: string;
  transcriptPath?: string;
  cwd?: string;
  toolName?: string;
  notificationType?: string;
  message?: string;
  /** SessionStart: startup, resume, clear or compact. */
  source?: string;
  /** SessionEnd: clear, logout, prompt_input_exit, other... */
  reason?: string;
  /** Stop (newer Claude Code): the final assistant text, which may not be in the transcript yet when Stop fires. */
  lastAssistantMessage?: string;
}

/** Why an input could not be used; logged by the runner, never shown to Claude Code. */
export type HookInputError = "empty" | "not-json" | "not-an-object" | "no-event-name";

export type ParsedHookInput = { ok: true; input: HookInput; salvaged: boolean } | { ok: false; error: HookInputError };

// Strings from the event end up in heartbeats and logs; cap them so a hostile event cannot bloat the bus.
const MAX_FIELD_CHARS = 4096;
// Above the largest briefAckMaxChars preferences allow, so a clipped message can never pass for a short one.
const MAX_MESSAGE_CHARS = 20_000;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function stringField(record: Record<string, unknown>, key: string, max = MAX_FIELD_CHARS): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  if (typeof value !== "string" || value === "") return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

function fromRecord(record: Record<string, unknown>): ParsedHookInput {
  const hookEventName = stringField(record, "hook_event_name");
  if (hookEventName === undefined || !EVENT_NAME.test(hookEventName)) return { ok: false, error: "no-event-name" };
  const input: HookInput = { hookEventName };
  const fields: [keyof HookInput, string][] = [
    ["sessionId", "session_id"],
    ["transcriptPath", "transcript_path"],
    ["cwd", "cwd"],
    ["toolName", "tool_name"],
    ["notificationType", "notification_type"],
    ["message", "message"],
    ["source", "source"],
    ["reason", "reason"],
  ];
  for (const [name, key] of fields) {
    const value = stringField(record, key);
    if (value !== undefined) input[name] = value;
  }
  const last = stringField(record, "last_assistant_message", MAX_MESSAGE_CHARS);
  if (last !== undefined) input.lastAssistantMessage = last;
  return { ok: true, input, salvaged: false };
}

/** Parses a complete event document. */
export function parseHookInput(text: string): ParsedHookInput {
  if (text.trim() === "") return { ok: false, error: "empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "not-json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "not-an-object" };
  return fromRecord(value as Record<string, unknown>);
}

/**
 * Recovers the top-level string fields from the head of an event too large to read whole (a PostToolUse
 * with a huge tool_response). Claude Code writes the common fields and tool_name before tool_input and
 * tool_response, and a quoted key can only appear unescaped as a key, so the first match of each is the
 * top-level one.
 */
export function salvageHookInput(head: string): ParsedHookInput {
  const record: Record<string, unknown> = {};
  const keys = ["hook_event_name", "session_id", "transcript_path", "cwd", "tool_name", "notification_type", "message", "source", "reason"];
  for (const key of keys) {
    const match = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){0,${MAX_FIELD_CHARS}})"`).exec(head);
    if (match?.[1] === undefined) continue;
    try {
      record[key] = JSON.parse(`"${match[1]}"`) as unknown;
    } catch {
      // A malformed escape: leave the field out rather than guess.
    }
  }
  const parsed = fromRecord(record);
  return parsed.ok ? { ...parsed, salvaged: true } : parsed;
}
