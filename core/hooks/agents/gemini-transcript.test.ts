// Gemini CLI's chat file read from its end, on real recordings (Gemini CLI 0.61.0): the entries of a turn and its brief-ack.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { makeTempDir } from "../../../test-support/temp";
import { runHook } from "../run";
import { geminiBriefAckFromTranscriptAsync, geminiEntries, isGeminiBriefAck, summarizeGeminiTurn } from "./gemini-transcript";

const GEMINI = join(FIXTURES, "gemini-real");
const recording = (name: string) => readFileSync(join(GEMINI, "transcripts", `${name}.jsonl`), "utf8");
/** The first session's chat file (README: a text turn, an allowed command, a rejected one, then the rewritten history). */
const FIRST = readFileSync(join(GEMINI, "transcript.trimmed.jsonl"), "utf8");
/** `text` up to and including the first line containing `marker`. */
function upTo(text: string, marker: string): string {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`no line with ${marker}`);
  return `${lines.slice(0, index + 1).join("\n")}\n`;
}
const brief = (text: string, maxChars = 280, startsMidLine = false) => isGeminiBriefAck(summarizeGeminiTurn(geminiEntries(text, startsMidLine)), maxChars);

describe("geminiEntries", () => {
  it("a rejected dialog: the call written again with status cancelled, then the info; the rewritten history after it is left out", () => {
    const kinds = geminiEntries(FIRST).map((e) => (e.kind === "tool-calls" ? `tool-calls:${e.status}:${e.tool}` : e.kind));
    expect(kinds).toEqual(["prompt", "reply", "prompt", "tool-calls:done:Shell", "tool-result", "reply", "prompt", "tool-calls:cancelled:Shell", "cancelled"]);
  });

  it("the same after a rejection with Esc and with 3 (recorded again: the cancelled prompt is kept in the rewritten history)", () => {
    for (const name of ["rejected-esc", "rejected-3"]) expect(geminiEntries(recording(name)).slice(-3).map((e) => e.kind)).toEqual(["prompt", "tool-calls", "cancelled"]);
  });

  it("while the dialog is open the model's message has no text and no calls yet", () => {
    expect(geminiEntries(recording("rejected-esc.dialog-open")).at(-1)).toMatchObject({ kind: "model-call" });
  });
});

describe("brief acknowledgement from the chat file", () => {
  it.each([
    ["a reply 'ok.'", recording("brief-ok"), 280, true],
    ["a long reply", recording("long-reply"), 280, false],
    ["a long reply under a high limit", recording("long-reply"), 10_000, true],
    ["'ok.' over a limit of 2", recording("brief-ok"), 2, false],
    ["a short text turn", upTo(FIRST, `"content":"Hello there."`), 280, true],
    ["a turn that ran a command, however short its reply", upTo(FIRST, `"content":"Made the file."`), 280, false],
    ["a reply that is only a tool call", upTo(FIRST, `"status":"success"`), 280, false],
    ["a rejected dialog (no reply)", recording("rejected-esc"), 280, false],
    ["the prompt alone", upTo(FIRST, "say hello #hello"), 280, false],
    ["nothing", "", 280, false],
    ["garbage", "not json\n{\n[1,2]\n", 280, false],
  ] as const)("%s", (_name, text, maxChars, expected) => {
    expect(brief(text, maxChars)).toBe(expected);
  });

  it("a tail that starts mid-line skips its first, cut line; with no prompt left in the tail, it is not brief", () => {
    const text = recording("brief-ok");
    const reply = text.indexOf(`"content":"ok."`);
    // Cut inside the prompt's line: its prompt is gone, the reply alone is not known to be this turn's.
    const promptLine = text.lastIndexOf("\n", text.lastIndexOf("say ok #ok")) + 1;
    expect(brief(text.slice(promptLine + 5), 280, true)).toBe(false);
    // Cut inside an earlier line: the rest is read.
    expect(brief(text.slice(text.lastIndexOf("\n", reply - 200) - 10), 280, true)).toBe(true);
  });

  it("reads a real file from its end, and refuses what is not a regular file without blocking", async () => {
    const dir = makeTempDir("otto-gemini-chat-");
    const path = join(dir, "session-ok.jsonl");
    writeFileSync(path, recording("brief-ok"));
    expect(await geminiBriefAckFromTranscriptAsync(path, 280)).toBe(true);
    // Only the last 4 KiB: the reply's turn is still in it.
    expect(await geminiBriefAckFromTranscriptAsync(path, 280, { maxBytes: 4096 })).toBe(true);
    const fifo = join(dir, "fifo.jsonl");
    execFileSync("mkfifo", [fifo]);
    await expect(geminiBriefAckFromTranscriptAsync(fifo, 280)).rejects.toMatchObject({ code: "ENOTFILE" });
    mkdirSync(join(dir, "dir.jsonl"));
    await expect(geminiBriefAckFromTranscriptAsync(join(dir, "dir.jsonl"), 280)).rejects.toMatchObject({ code: "ENOTFILE" });
    await expect(geminiBriefAckFromTranscriptAsync(join(dir, "missing.jsonl"), 280)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("runHook for Gemini's AfterAgent", () => {
  const dir = makeTempDir("otto-gemini-hook-");
  const bus = join(dir, "bus");
  const afterAgent = (transcriptPath: string | undefined) =>
    JSON.stringify({
      ...(JSON.parse(readFileSync(join(GEMINI, "events", "08-AfterAgent.json"), "utf8")) as Record<string, unknown>),
      transcript_path: transcriptPath,
    });
  const run = (transcriptPath: string | undefined) => runHook({ text: afterAgent(transcriptPath), surface: "gem-main", agent: "gemini", busDir: () => bus, briefAckMaxChars: () => 280 });

  it.each([
    ["brief-ok", true],
    ["long-reply", false],
  ] as const)("publishes briefAck from the chat file (%s), with the chat file's path", async (name, expected) => {
    const path = join(dir, `${name}.jsonl`);
    writeFileSync(path, recording(name));
    const result = await run(path);
    expect(result.problems).toEqual([]);
    expect(result.envelope?.payload).toMatchObject({ status: "idle", event: "AfterAgent", briefAck: expected, transcriptPath: path });
  });

  it("an unreadable chat file leaves briefAck out and says why", async () => {
    const result = await run(join(dir, "missing.jsonl"));
    expect(result.envelope?.payload.briefAck).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ level: "warn", message: expect.stringMatching(/cannot read the transcript: .*briefAck left out/) })]);
  });
});
