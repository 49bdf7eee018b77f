// Tells a Gemini CLI turn a hook made it go on with from one the person started, at its BeforeAgent: the chat file's
// last entry is then Gemini's own warning "Agent execution blocked: <the hook's reason>", and the reason is the prompt.
import { asRecord, type JsonRecord } from "../../text/json-lines";
import { PROMPT_HEAD_CHARS } from "../input";
import { readTailAsync } from "../transcript";

/** What Gemini CLI 0.61.0 writes (a `warning` entry) before it goes on with an AfterAgent hook's reason as the prompt. */
export const GEMINI_BLOCKED_PREFIX = "Agent execution blocked: ";
/** Enough of the file's end for its last few entries. */
const CONTINUATION_TAIL_BYTES = 64 * 1024;

/**
 * True only when the last message entry (skipping `info` lines, which Gemini writes beside the warning) is the
 * warning that names exactly this prompt (`promptHead`: the prompt's first {@link PROMPT_HEAD_CHARS} characters).
 * A person's prompt is written to the file only after its BeforeAgent, so it never matches; anything unclear is false
 * (the turn then counts as the person's, as before).
 */
export function isGeminiContinuation(text: string, startsMidLine: boolean, promptHead: string): boolean {
  const lines = text.split("\n");
  if (startsMidLine) lines.shift();
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    let record: JsonRecord | undefined;
    try {
      record = asRecord(JSON.parse(line));
    } catch {
      return false;
    }
    if (record === undefined) return false;
    // Metadata (`$set`) and info lines carry no turn; anything else decides.
    if (typeof record.id !== "string" || typeof record.type !== "string") {
      if (asRecord(record.$set) !== undefined) continue;
      return false;
    }
    if (record.type === "info") continue;
    if (record.type !== "warning" || typeof record.content !== "string" || !record.content.startsWith(GEMINI_BLOCKED_PREFIX)) return false;
    const reason = record.content.slice(GEMINI_BLOCKED_PREFIX.length);
    return reason === promptHead || (promptHead.length === PROMPT_HEAD_CHARS && reason.startsWith(promptHead));
  }
  return false;
}

/** Reads the chat file's end (bounded, non-blocking) and tells; throws only on I/O errors. */
export async function geminiContinuationFromTranscriptAsync(path: string, promptHead: string): Promise<boolean> {
  const tail = await readTailAsync(path, CONTINUATION_TAIL_BYTES);
  return isGeminiContinuation(tail.text, tail.startsMidLine, promptHead);
}
