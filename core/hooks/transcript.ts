// Decides whether the last assistant turn of a Claude Code transcript was a brief acknowledgement, reading only its tail.
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync } from "node:fs";
import { boundsMeter } from "../diagnostics/bounds-meter";

/** How much of a transcript's end is read: a turn longer than this is not brief anyway. */
export const TRANSCRIPT_TAIL_BYTES = 256 * 1024;

/** What the last turn held. */
export interface TurnSummary {
  /** False when no line the person typed was found in the text (the turn is longer than the tail, or there is none). */
  found: boolean;
  assistantMessages: number;
  /** A tool was used: a tool_use block from the assistant or a tool_result line inside the turn. */
  toolUse: boolean;
  /** Characters of assistant text (code points, trimmed), summed over the turn. */
  textChars: number;
}

type JsonRecord = Record<string, unknown>;

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

function parseLine(line: string): JsonRecord | undefined {
  if (line.trim() === "") return undefined;
  try {
    return asRecord(JSON.parse(line));
  } catch {
    return undefined;
  }
}

function contentOf(entry: JsonRecord): unknown {
  return asRecord(entry.message)?.content;
}

function hasBlock(content: unknown, type: string): boolean {
  return Array.isArray(content) && content.some((block) => asRecord(block)?.type === type);
}

/**
 * A line the person typed: a `user` line that is not a tool result. Meta lines, compaction summaries and
 * sub-agent (sidechain) lines are written by Claude Code, not typed, so they do not start a turn.
 */
function isPersonLine(entry: JsonRecord): boolean {
  if (entry.type !== "user" || entry.isMeta === true || entry.isCompactSummary === true) return false;
  const content = contentOf(entry);
  return (typeof content === "string" || Array.isArray(content)) && !hasBlock(content, "tool_result");
}

const TOOL_BLOCK_TYPES: ReadonlySet<string> = new Set(["tool_use", "server_tool_use", "mcp_tool_use"]);

function countChars(text: string): number {
  let count = 0;
  for (const _ of text.trim()) count++;
  return count;
}

/**
 * Summarises the last turn in transcript text (JSON lines): from the last line the person typed to the end.
 * Unparseable lines are skipped; pass `startsMidLine` when the text is a tail cut from a larger file so its
 * first, partial line is ignored. `finalMessage` is Stop's `last_assistant_message`: Claude Code can fire
 * Stop before the final assistant line reaches the file, so when the turn's last text differs from it, it
 * counts as one more assistant message.
 */
export function summarizeLastTurn(text: string, startsMidLine = false, finalMessage?: string): TurnSummary {
  const lines = text.split("\n");
  if (startsMidLine) lines.shift();
  const entries: JsonRecord[] = [];
  for (const line of lines) {
    const entry = parseLine(line);
    if (entry !== undefined && entry.isSidechain !== true) entries.push(entry);
  }
  let start = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry !== undefined && isPersonLine(entry)) {
      start = i;
      break;
    }
  }
  const summary: TurnSummary = { found: start >= 0, assistantMessages: 0, toolUse: false, textChars: 0 };
  if (start < 0) return summary;
  let lastText: string | undefined;
  for (const entry of entries.slice(start + 1)) {
    const content = contentOf(entry);
    if (entry.type === "user" && hasBlock(content, "tool_result")) summary.toolUse = true;
    if (entry.type !== "assistant") continue;
    summary.assistantMessages++;
    if (typeof content === "string") {
      summary.textChars += countChars(content);
      lastText = content;
    }
    if (!Array.isArray(content)) continue;
    for (const block of content) {
      const record = asRecord(block);
      if (record === undefined) continue;
      if (typeof record.type === "string" && TOOL_BLOCK_TYPES.has(record.type)) summary.toolUse = true;
      if (record.type === "text" && typeof record.text === "string") {
        summary.textChars += countChars(record.text);
        lastText = record.text;
      }
    }
  }
  if (finalMessage !== undefined && finalMessage.trim() !== "" && lastText?.trim() !== finalMessage.trim()) {
    summary.assistantMessages++;
    summary.textChars += countChars(finalMessage);
  }
  return summary;
}

/** A brief acknowledgement: the assistant answered, used no tool, and said at most `maxChars` characters. */
export function isBriefAck(summary: TurnSummary, maxChars: number): boolean {
  return summary.found && summary.assistantMessages > 0 && !summary.toolUse && summary.textChars <= maxChars;
}

/**
 * Reads at most `maxBytes` from the end of a regular file. Opens non-blocking and checks the type first,
 * so a FIFO or device named as the transcript cannot hang the hook.
 */
export function readTail(path: string, maxBytes = TRANSCRIPT_TAIL_BYTES): { text: string; startsMidLine: boolean } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: "ENOTFILE" });
    const start = Math.max(0, stat.size - maxBytes);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
    let filled = 0;
    while (filled < buffer.length) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, start + filled);
      if (read === 0) break;
      filled += read;
    }
    boundsMeter.observe("transcript.readBytes", filled, maxBytes);
    return { text: buffer.subarray(0, filled).toString("utf8"), startsMidLine: start > 0 };
  } finally {
    closeSync(fd);
  }
}

/** {@link readTail} off the main thread, for the hook handler, which must stay able to meet its deadline. */
export async function readTailAsync(path: string, maxBytes = TRANSCRIPT_TAIL_BYTES): Promise<{ text: string; startsMidLine: boolean }> {
  const handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: "ENOTFILE" });
    const start = Math.max(0, stat.size - maxBytes);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    boundsMeter.observe("transcript.readBytes", filled, maxBytes);
    return { text: buffer.subarray(0, filled).toString("utf8"), startsMidLine: start > 0 };
  } finally {
    await handle.close();
  }
}

/** Reads a transcript's tail and decides brief-ack; throws only on I/O errors (the caller logs them). */
export function briefAckFromTranscript(path: string, maxChars: number, options: { maxBytes?: number; finalMessage?: string | undefined } = {}): boolean {
  const tail = readTail(path, options.maxBytes ?? TRANSCRIPT_TAIL_BYTES);
  return isBriefAck(summarizeLastTurn(tail.text, tail.startsMidLine, options.finalMessage), maxChars);
}

/** {@link briefAckFromTranscript} off the main thread. */
export async function briefAckFromTranscriptAsync(path: string, maxChars: number, options: { maxBytes?: number; finalMessage?: string | undefined } = {}): Promise<boolean> {
  const tail = await readTailAsync(path, options.maxBytes ?? TRANSCRIPT_TAIL_BYTES);
  return isBriefAck(summarizeLastTurn(tail.text, tail.startsMidLine, options.finalMessage), maxChars);
}
