// Where a Gemini CLI turn stands, read from real chat files (Gemini CLI 0.61.0): a rejected dialog is seen, nothing else is guessed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { classifyGeminiTurn } from "./gemini-transcript-tail";

const GEMINI = join(FIXTURES, "gemini-real");
const recording = (name: string) => readFileSync(join(GEMINI, "transcripts", `${name}.jsonl`), "utf8");
const FIRST = readFileSync(join(GEMINI, "transcript.trimmed.jsonl"), "utf8");
/** `text` up to and including the first line containing `marker`. */
function upTo(text: string, marker: string): string {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`no line with ${marker}`);
  return `${lines.slice(0, index + 1).join("\n")}\n`;
}
const infoAt = (text: string) => {
  const line = text.split("\n").findLast((l) => l.includes(`"content":"Request cancelled."`)) as string;
  return Date.parse((JSON.parse(line) as { timestamp: string }).timestamp);
};

describe("classifyGeminiTurn on recorded chat files", () => {
  it.each([
    ["a dialog rejected with Esc", recording("rejected-esc")],
    ["a dialog rejected with 3", recording("rejected-3")],
    ["the first recording's rejected dialog (Esc), before its rewritten history", FIRST],
  ])("%s → dialog-rejected naming the tool as the dialog does, at the cancellation", (_name, text) => {
    expect(classifyGeminiTurn(text)).toEqual({ kind: "dialog-rejected", tool: "Shell", at: infoAt(text) });
  });

  it.each([
    ["the dialog open (the model's message has no text, its call not written yet)", recording("rejected-esc.dialog-open"), "tool-pending"],
    ["a dialog open after an earlier rejection", recording("rejected-3.dialog-open"), "tool-pending"],
    ["a new prompt after an earlier rejection", upTo(recording("rejected-3.dialog-open"), "run it #three"), "no-reply"],
    ["the prompt alone", upTo(FIRST, "say hello #hello"), "no-reply"],
    ["a command's result sent to the model", upTo(FIRST, `"type":"user","content":[{"functionResponse"`), "no-reply"],
    ["a reply 'ok.'", recording("brief-ok"), "turn-ended"],
    ["a long reply", recording("long-reply"), "turn-ended"],
    ["the cancelled call before its info is written", upTo(FIRST, `"status":"cancelled"`), "dialog-rejected"],
  ] as const)("%s → %s", (_name, text, kind) => {
    expect(classifyGeminiTurn(text).kind).toBe(kind);
  });

  it("a rewrite caught half-written (copies not yet listed by a $set messages) reads as a new prompt: not idle", () => {
    const text = recording("rejected-esc");
    const cut = text.slice(0, text.lastIndexOf(`{"$set":{"messages"`));
    expect(classifyGeminiTurn(cut).kind).toBe("no-reply");
  });

  it("Esc while the model answers (the info with no cancelled call in its turn) → interrupted", () => {
    const prompt = upTo(FIRST, "say hello #hello");
    const info = JSON.stringify({ id: "i1", timestamp: "2026-12-07T19:17:35.000Z", type: "info", content: "Request cancelled." });
    expect(classifyGeminiTurn(`${prompt}${info}\n`)).toMatchObject({ kind: "interrupted", at: Date.parse("2026-12-07T19:17:35.000Z") });
  });

  it("a tail cut mid-line: its first line is skipped, the rest still read", () => {
    const text = recording("rejected-esc");
    const tail = text.slice(text.indexOf(`"type":"gemini"`));
    expect(classifyGeminiTurn(tail, true)).toMatchObject({ kind: "dialog-rejected", tool: "Shell" });
  });

  it.each([
    ["nothing", ""],
    ["garbage", "not json\n{\n[1,2]\n\"text\"\n"],
    ["only metadata", `${FIRST.split("\n")[0] as string}\n{"$set":{"lastUpdated":"2026-12-07T19:17:32.826Z"}}\n`],
    ["another agent's transcript (Claude Code's lines)", readFileSync(join(FIXTURES, "claude-code-real", "walk-transcript.trimmed.jsonl"), "utf8")],
  ])("%s → unknown", (_name, text) => {
    expect(classifyGeminiTurn(text).kind).toBe("unknown");
  });

  it("other info entries say nothing: the rejection before them still decides", () => {
    const info = JSON.stringify({ id: "i2", timestamp: "2026-12-07T19:17:50.000Z", type: "info", content: "Switched to fallback model." });
    expect(classifyGeminiTurn(`${FIRST}${info}\n`).kind).toBe("dialog-rejected");
  });
});
