// Reads where a Codex CLI turn stands from the end of its session file (rollout-….jsonl): Esc sends no hook event
// (nor does it let the PermissionRequest hook finish), but Codex writes `turn_aborted` there.
import { asRecord, type JsonRecord, jsonRecords, timestampOf } from "../text/json-lines";
import type { TurnVerdict } from "./transcript-tail";

function withTime(verdict: TurnVerdict, entry: JsonRecord): TurnVerdict {
  const at = timestampOf(entry);
  return at === undefined ? verdict : { ...verdict, at };
}

/**
 * Classifies the last turn of a Codex 0.171.0 rollout from its end: `turn_aborted` (Esc: on the dialog, or while a
 * hook ran) is `interrupted`; `task_complete` is `turn-ended`; a turn still open is `tool-pending` when a function
 * call has no output yet, else `no-reply`. Anything else is `unknown`: only an entry that says so ends a turn.
 */
export function classifyCodexTurn(text: string, startsMidLine = false): TurnVerdict {
  const all = jsonRecords(text, startsMidLine);
  const answered = new Set<string>();
  let pendingCall: { entry: JsonRecord; name: string | undefined } | undefined;
  for (let i = all.length - 1; i >= 0; i--) {
    const entry = all[i] as JsonRecord;
    const payload = asRecord(entry.payload);
    if (payload === undefined) continue;
    if (entry.type === "event_msg") {
      if (payload.type === "turn_aborted") return withTime({ kind: "interrupted" }, entry);
      if (payload.type === "task_complete") return withTime({ kind: "turn-ended" }, entry);
      if (payload.type === "task_started") break;
      continue;
    }
    if (entry.type !== "response_item") continue;
    const callId = typeof payload.call_id === "string" ? payload.call_id : undefined;
    if (payload.type === "function_call_output" && callId !== undefined) answered.add(callId);
    if (payload.type === "function_call" && callId !== undefined && !answered.has(callId) && pendingCall === undefined) {
      pendingCall = { entry, name: typeof payload.name === "string" ? payload.name : undefined };
    }
    if (payload.type === "message" && payload.role === "user" && pendingCall === undefined) return withTime({ kind: "no-reply" }, entry);
  }
  if (pendingCall !== undefined) return withTime(pendingCall.name === undefined ? { kind: "tool-pending" } : { kind: "tool-pending", tool: pendingCall.name }, pendingCall.entry);
  return { kind: "unknown", why: "no Codex turn in the session file's tail" };
}
