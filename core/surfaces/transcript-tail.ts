// Reads where a Claude Code turn stands from the end of its transcript: an Esc sends no hook event, but it is written there.

/**
 * Where the turn stands, from the transcript's last conversational entry:
 * - `dialog-rejected`: the person rejected a tool's permission dialog (Esc or "No"); Claude Code is at its prompt.
 * - `interrupted`: `[Request interrupted by user]`: the person stopped the turn.
 * - `turn-ended`: the assistant's last message is text with no tool call (its Stop may have been lost).
 * - `no-reply`: the person's prompt (or a tool's result) is last, with no reply: the model is still answering,
 *   or the turn was interrupted with Esc, which leaves exactly this. Nothing in the transcript tells them apart.
 * - `tool-pending`: the assistant asked for a tool and no result is written yet (a dialog is open or it runs).
 * - `unknown`: nothing usable in the tail (`why` says what).
 */
export type TurnKind = "dialog-rejected" | "interrupted" | "turn-ended" | "no-reply" | "tool-pending" | "unknown";

/** A classified turn: the kind, the tool concerned, and the time of the entry that decided it. */
export interface TurnVerdict {
  kind: TurnKind;
  tool?: string;
  /** Timestamp of the deciding entry, ms. */
  at?: number;
  why?: string;
}

type JsonRecord = Record<string, unknown>;

const REJECTED = "The user doesn't want to proceed with this tool use";
const INTERRUPTED_FOR_TOOL = "[Request interrupted by user for tool use]";
const INTERRUPTED = "[Request interrupted by user";

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

function blocks(entry: JsonRecord): JsonRecord[] {
  const content = asRecord(entry.message)?.content;
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.map(asRecord).filter((b): b is JsonRecord => b !== undefined) : [];
}

function textOf(block: JsonRecord): string {
  if (typeof block.text === "string") return block.text;
  if (typeof block.content === "string") return block.content;
  if (Array.isArray(block.content)) return block.content.map((c) => (typeof asRecord(c)?.text === "string" ? String(asRecord(c)?.text) : "")).join("");
  return "";
}

function timeOf(entry: JsonRecord): number | undefined {
  const at = typeof entry.timestamp === "string" ? Date.parse(entry.timestamp) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
}

/** The main conversation's user and assistant lines (sub-agents' sidechain lines and meta lines are not the turn). */
function conversation(text: string, startsMidLine: boolean): JsonRecord[] {
  const lines = text.split("\n");
  if (startsMidLine) lines.shift();
  const entries: JsonRecord[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    let entry: JsonRecord | undefined;
    try {
      entry = asRecord(JSON.parse(line));
    } catch {
      continue; // a line being written, or cut: skip it
    }
    if (entry === undefined || entry.isSidechain === true || entry.isMeta === true) continue;
    if (entry.type === "user" || entry.type === "assistant") entries.push(entry);
  }
  return entries;
}

/** The name of the tool the last tool_use before `index` asked for. */
function lastToolBefore(entries: readonly JsonRecord[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const use = blocks(entries[i] as JsonRecord).find((b) => b.type === "tool_use");
    if (use !== undefined) return typeof use.name === "string" ? use.name : undefined;
  }
  return undefined;
}

/** A verdict with its tool and time, each left out when unknown. */
export function verdict(kind: TurnKind, tool: string | undefined, at: number | undefined): TurnVerdict {
  const result: TurnVerdict = { kind };
  if (tool !== undefined) result.tool = tool;
  if (at !== undefined) result.at = at;
  return result;
}

/** Classifies the turn from transcript text (JSON lines); pass `startsMidLine` for a tail cut from a larger file. */
export function classifyTurn(text: string, startsMidLine = false): TurnVerdict {
  const entries = conversation(text, startsMidLine);
  const lastIndex = entries.length - 1;
  const last = entries[lastIndex];
  if (last === undefined) return { kind: "unknown", why: "no conversation in the transcript's tail" };
  const at = timeOf(last);
  const lastBlocks = blocks(last);
  if (last.type === "assistant") {
    const use = lastBlocks.find((b) => b.type === "tool_use");
    if (use !== undefined) return verdict("tool-pending", typeof use.name === "string" ? use.name : undefined, at);
    return verdict("turn-ended", undefined, at);
  }
  const texts = lastBlocks.map(textOf);
  const results = lastBlocks.filter((b) => b.type === "tool_result");
  if (texts.some((t) => t.startsWith(INTERRUPTED_FOR_TOOL)) || results.some((b) => textOf(b).startsWith(REJECTED))) {
    return verdict("dialog-rejected", lastToolBefore(entries, lastIndex), at);
  }
  if (texts.some((t) => t.startsWith(INTERRUPTED))) return verdict("interrupted", undefined, at);
  return verdict("no-reply", undefined, at);
}
