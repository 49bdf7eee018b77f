// Reads where a Gemini CLI turn stands from the end of its chat file: a rejected dialog sends no hook event, but it is written there.
import { geminiEntries } from "../hooks/agents/gemini-transcript";
import { type TurnVerdict, verdict } from "./transcript-tail";

/**
 * Classifies the turn from Gemini CLI 0.61.0's chat file (JSON lines; pass `startsMidLine` for a tail cut from a
 * larger file), in the kinds of Claude Code's {@link TurnVerdict}, from its last entry (rewritten-history copies
 * left out: see ../hooks/agents/gemini-transcript.ts):
 * - the `Request cancelled.` info after a call written `cancelled` (or that call alone) → `dialog-rejected`, naming
 *   the tool as the dialog does ("Shell"); the info alone (Esc while the model answered) → `interrupted`;
 * - a model message with text and no tool call → `turn-ended`; with no text, or calls not done → `tool-pending`;
 * - the prompt, a tool's result, or calls done → `no-reply` (the model is answering).
 */
export function classifyGeminiTurn(text: string, startsMidLine = false): TurnVerdict {
  const entries = geminiEntries(text, startsMidLine);
  const last = entries[entries.length - 1];
  if (last === undefined) return { kind: "unknown", why: "no Gemini conversation in the chat file's tail" };
  switch (last.kind) {
    case "cancelled": {
      // The call the dialog asked about is written (cancelled) just before the info; look back within the turn only.
      for (let i = entries.length - 2; i >= 0; i--) {
        const entry = entries[i];
        if (entry === undefined || entry.kind === "prompt" || entry.kind === "cancelled") break;
        if (entry.kind === "tool-calls" && entry.status === "cancelled") return verdict("dialog-rejected", entry.tool, last.at);
      }
      return verdict("interrupted", undefined, last.at);
    }
    case "tool-calls":
      if (last.status === "cancelled") return verdict("dialog-rejected", last.tool, last.at);
      if (last.status === "pending") return verdict("tool-pending", last.tool, last.at);
      return verdict("no-reply", undefined, last.at);
    case "model-call":
      return verdict("tool-pending", undefined, last.at);
    case "reply":
      return verdict("turn-ended", undefined, last.at);
    case "prompt":
    case "tool-result":
      return verdict("no-reply", undefined, last.at);
  }
}
