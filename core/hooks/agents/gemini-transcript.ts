// Reads Gemini CLI's chat file (`~/.gemini/tmp/<project>/chats/session-….jsonl`, 0.61.0) from its end: its entries in order, and whether the last turn's reply was a brief acknowledgement.
import { asRecord, type JsonRecord, jsonRecords, timestampOf } from "../../text/json-lines";
import { readTailAsync, TRANSCRIPT_TAIL_BYTES } from "../transcript";

/**
 * One entry of the chat file, as far as a turn is concerned. The file is a log of operations: a message line
 * (a string `id` and a `type`), a later line with the same id replacing it (a model message gets its tool calls
 * that way, once they are done), `{"$set": {...}}` metadata (`messages` replaces the whole list) and `$rewindTo`.
 * - `prompt`: a `user` message with text: what the person typed (the turn's start).
 * - `tool-result`: a `user` message carrying a functionResponse (a tool's result sent to the model).
 * - `reply`: a `gemini` message with text and no tool call.
 * - `model-call`: a `gemini` message with no text and no tool calls recorded yet: the model asked for a tool (its
 *   calls are written only when they are done), or a rewritten call.
 * - `tool-calls`: a `gemini` message with its calls: `cancelled` (a rejected dialog), `done`, or `pending`.
 * - `cancelled`: the `info` entry `Request cancelled.` (the person cancelled: a rejected dialog or Esc).
 */
export type GeminiEntry =
  | { kind: "prompt"; at: number | undefined }
  | { kind: "tool-result"; at: number | undefined }
  | { kind: "reply"; at: number | undefined; text: string }
  | { kind: "model-call"; at: number | undefined }
  | { kind: "tool-calls"; at: number | undefined; status: "cancelled" | "done" | "pending"; tool: string | undefined }
  | { kind: "cancelled"; at: number | undefined };


/** What Gemini CLI writes as an `info` entry when the person cancels a request (a rejected dialog, or Esc). */
export const GEMINI_CANCELLED_INFO = "Request cancelled.";
const DONE_STATUSES: ReadonlySet<string> = new Set(["success", "error"]);

function isMessage(record: JsonRecord): boolean {
  return typeof record.id === "string" && typeof record.type === "string";
}

function setMessages(record: JsonRecord): unknown[] | undefined {
  const messages = asRecord(record.$set)?.messages;
  return Array.isArray(messages) ? messages : undefined;
}

/** A message's parts: a string content is one text part. */
function partsOf(record: JsonRecord): JsonRecord[] {
  if (typeof record.content === "string") return [{ text: record.content }];
  return Array.isArray(record.content) ? record.content.map(asRecord).filter((p): p is JsonRecord => p !== undefined) : [];
}

/** The text the person or the model said: text parts that are not the model's thoughts. */
function textOf(parts: readonly JsonRecord[]): string {
  return parts
    .filter((p) => typeof p.text === "string" && p.thought !== true)
    .map((p) => p.text as string)
    .join("");
}

function toolCallsEntry(calls: readonly JsonRecord[], at: number | undefined): GeminiEntry {
  const name = (call: JsonRecord | undefined) => {
    const value = call?.displayName ?? call?.name;
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const cancelled = calls.find((c) => c.status === "cancelled");
  if (cancelled !== undefined) return { kind: "tool-calls", at, status: "cancelled", tool: name(cancelled) };
  const pending = calls.find((c) => typeof c.status !== "string" || !DONE_STATUSES.has(c.status));
  if (pending !== undefined) return { kind: "tool-calls", at, status: "pending", tool: name(pending) };
  return { kind: "tool-calls", at, status: "done", tool: name(calls[0]) };
}

/** The entry a message line stands for; undefined for what says nothing about the turn (other info, errors, …). */
function entryOf(record: JsonRecord): GeminiEntry | undefined {
  const at = timestampOf(record);
  const parts = partsOf(record);
  switch (record.type) {
    case "user":
      if (parts.some((p) => p.functionResponse !== undefined)) return { kind: "tool-result", at };
      return textOf(parts).trim() === "" ? undefined : { kind: "prompt", at };
    case "gemini": {
      const calls = Array.isArray(record.toolCalls) ? record.toolCalls.map(asRecord).filter((c): c is JsonRecord => c !== undefined) : [];
      if (calls.length > 0) return toolCallsEntry(calls, at);
      if (parts.some((p) => p.functionCall !== undefined)) return { kind: "model-call", at };
      const text = textOf(parts);
      return text.trim() === "" ? { kind: "model-call", at } : { kind: "reply", at, text };
    }
    case "info":
      return typeof record.content === "string" && record.content.trim() === GEMINI_CANCELLED_INFO ? { kind: "cancelled", at } : undefined;
    default:
      return undefined;
  }
}

/**
 * The indexes of rewritten-history copies: when Gemini CLI replaces its history (after a rejected dialog, a
 * compression) it appends every message of the new history as a fresh line, then `{"$set": {"messages": [...]}}`
 * listing them. Those lines are the old conversation again, not new turns: the message lines just before a
 * `$set.messages` (metadata lines between them skipped) that it lists.
 */
function rewrittenCopies(records: readonly JsonRecord[]): Set<number> {
  const copies = new Set<number>();
  records.forEach((record, index) => {
    const messages = setMessages(record);
    if (messages === undefined) return;
    const listed = new Set(messages.map((m) => asRecord(m)?.id).filter((id): id is string => typeof id === "string"));
    for (let i = index - 1; i >= 0; i--) {
      const before = records[i] as JsonRecord;
      if (!isMessage(before)) {
        if (asRecord(before.$set) !== undefined && setMessages(before) === undefined) continue;
        break;
      }
      if (!listed.has(before.id as string)) break;
      copies.add(i);
    }
  });
  return copies;
}

/**
 * The chat file's entries in the order they last changed: a message written again (the same id) counts where it
 * was last written, rewritten-history copies are left out. Unparseable lines are skipped; pass `startsMidLine`
 * when the text is a tail cut from a larger file so its first, partial line is ignored.
 */
export function geminiEntries(text: string, startsMidLine = false): GeminiEntry[] {
  const records = jsonRecords(text, startsMidLine);
  const copies = rewrittenCopies(records);
  const byId = new Map<string, GeminiEntry>();
  records.forEach((record, index) => {
    if (!isMessage(record) || copies.has(index)) return;
    const id = record.id as string;
    // Map order is insertion order: deleting first moves a rewritten message to where it was last written.
    byId.delete(id);
    const entry = entryOf(record);
    if (entry !== undefined) byId.set(id, entry);
  });
  return [...byId.values()];
}

/** What the last turn held (the shape of Claude Code's summary in ../transcript.ts). */
export interface GeminiTurnSummary {
  /** False when no prompt was found in the text (the turn is longer than the tail, or there is none). */
  found: boolean;
  replies: number;
  /** A tool was asked for or used in the turn. */
  toolUse: boolean;
  /** Characters of reply text (code points, trimmed), summed over the turn. */
  textChars: number;
}

function countChars(text: string): number {
  let count = 0;
  for (const _ of text.trim()) count++;
  return count;
}

/** Summarises the last turn: from the last prompt to the end. */
export function summarizeGeminiTurn(entries: readonly GeminiEntry[]): GeminiTurnSummary {
  const start = entries.findLastIndex((e) => e.kind === "prompt");
  const summary: GeminiTurnSummary = { found: start >= 0, replies: 0, toolUse: false, textChars: 0 };
  if (start < 0) return summary;
  for (const entry of entries.slice(start + 1)) {
    if (entry.kind === "reply") {
      summary.replies++;
      summary.textChars += countChars(entry.text);
    } else {
      // A tool asked for, run, answered or cancelled: real work (or no clean reply), never a brief acknowledgement.
      summary.toolUse = true;
    }
  }
  return summary;
}

/** A brief acknowledgement: the model replied, used no tool, and said at most `maxChars` characters. */
export function isGeminiBriefAck(summary: GeminiTurnSummary, maxChars: number): boolean {
  return summary.found && summary.replies > 0 && !summary.toolUse && summary.textChars <= maxChars;
}

/** Reads a Gemini chat file's tail (bounded, non-blocking, off the main thread) and decides brief-ack; throws only on I/O errors. */
export async function geminiBriefAckFromTranscriptAsync(path: string, maxChars: number, options: { maxBytes?: number } = {}): Promise<boolean> {
  const tail = await readTailAsync(path, options.maxBytes ?? TRANSCRIPT_TAIL_BYTES);
  return isGeminiBriefAck(summarizeGeminiTurn(geminiEntries(tail.text, tail.startsMidLine)), maxChars);
}
