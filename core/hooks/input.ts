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
  /** Tool events: what the tool acts on, from `tool_input` (a Bash command, a file path, a URL, a pattern). */
  toolTarget?: string;
  /** UserPromptSubmit: the prompt's first characters (enough to tell a `<task-notification>` from the person). */
  promptHead?: string;
  /** Gemini CLI's Notification ToolPermission: the command its dialog asks about (`details.command`). */
  detailsCommand?: string;
}

/** Why an input could not be used; logged by the runner, never shown to Claude Code. */
export type HookInputError = "empty" | "not-json" | "not-an-object" | "no-event-name";

export type ParsedHookInput = { ok: true; input: HookInput; salvaged: boolean } | { ok: false; error: HookInputError };

// Strings from the event end up in heartbeats and logs; cap them so a hostile event cannot bloat the bus.
const MAX_FIELD_CHARS = 4096;
// Above the largest briefAckMaxChars preferences allow, so a clipped message can never pass for a short one.
const MAX_MESSAGE_CHARS = 20_000;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
// Only the start of a prompt is needed (to recognise Claude Code's own `<task-notification>` turns).
export const PROMPT_HEAD_CHARS = 64;
// The keys of `tool_input` that name what a tool acts on, in order of preference (Bash, Write/Edit/Read, WebFetch, Grep/Glob).
const TOOL_TARGET_KEYS = ["command", "file_path", "notebook_path", "path", "url", "pattern"] as const;

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
  const prompt = stringField(record, "prompt", PROMPT_HEAD_CHARS);
  if (prompt !== undefined) input.promptHead = prompt;
  const toolInput = Object.hasOwn(record, "tool_input") ? record.tool_input : undefined;
  if (typeof toolInput === "object" && toolInput !== null && !Array.isArray(toolInput)) {
    for (const key of TOOL_TARGET_KEYS) {
      const target = stringField(toolInput as Record<string, unknown>, key);
      if (target !== undefined) {
        input.toolTarget = target;
        break;
      }
    }
  }
  const details = Object.hasOwn(record, "details") ? record.details : undefined;
  if (typeof details === "object" && details !== null && !Array.isArray(details)) {
    const command = stringField(details as Record<string, unknown>, "command");
    if (command !== undefined) input.detailsCommand = command;
  }
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
  // A prompt may be far longer than any field cap: its head is enough, so the closing quote is not required.
  const prompt = /"prompt"\s*:\s*"((?:[^"\\]|\\.){0,64})/.exec(head);
  if (prompt?.[1] !== undefined) {
    try {
      record.prompt = JSON.parse(`"${prompt[1]}"`) as unknown;
    } catch {
      // As above.
    }
  }
  const parsed = fromRecord(record);
  return parsed.ok ? { ...parsed, salvaged: true } : parsed;
}
