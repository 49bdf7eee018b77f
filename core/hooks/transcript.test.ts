// Brief-ack from transcripts: the two fixtures, turn boundaries, defensive parsing, and the tail cut.
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import { boundsMeter } from "../diagnostics/bounds-meter";
import { briefAckFromTranscript, briefAckFromTranscriptAsync, isBriefAck, readTail, summarizeLastTurn, TRANSCRIPT_TAIL_BYTES } from "./transcript";

const BRIEF = join(FIXTURES, "claude-code", "transcript-brief-ack.jsonl");
const WORKING = join(FIXTURES, "claude-code", "transcript-working.jsonl");

const user = (content: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ type: "user", message: { role: "user", content }, ...extra });
const assistant = (content: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ type: "assistant", message: { role: "assistant", content }, ...extra });
const text = (t: string) => ({ type: "text", text: t });
const toolUse = { type: "tool_use", id: "toolu_9", name: "Bash", input: { command: "ls" } };
const toolResult = { type: "tool_result", tool_use_id: "toolu_9", content: "ok" };

describe("briefAckFromTranscript on the fixtures", () => {
  it("finds the brief acknowledgement", () => {
    expect(briefAckFromTranscript(BRIEF, 280)).toBe(true);
  });

  it("finds the working turn (tool use, long text)", () => {
    expect(briefAckFromTranscript(WORKING, 280)).toBe(false);
    expect(summarizeLastTurn(readFileSync(WORKING, "utf8"))).toMatchObject({ found: true, toolUse: true, assistantMessages: 2 });
  });

  it("uses the threshold", () => {
    const summary = summarizeLastTurn(readFileSync(BRIEF, "utf8"));
    expect(summary.textChars).toBe("Idle — no change.".length);
    expect(isBriefAck(summary, summary.textChars)).toBe(true);
    expect(isBriefAck(summary, summary.textChars - 1)).toBe(false);
  });
});

describe("summarizeLastTurn", () => {
  it("starts the turn at the last typed line, not at a tool result", () => {
    const lines = [user("go"), assistant([toolUse]), user([toolResult]), assistant([text("done")])];
    expect(summarizeLastTurn(lines.join("\n"))).toEqual({ found: true, assistantMessages: 2, toolUse: true, textChars: 4 });
  });

  it("counts a tool_result inside the turn as tool use even if the tool_use line is missing", () => {
    expect(summarizeLastTurn([user("go"), user([toolResult]), assistant([text("ok")])].join("\n")).toolUse).toBe(true);
  });

  it("sums text over several assistant lines and reads string content", () => {
    const summary = summarizeLastTurn([user([text("typed as blocks")]), assistant([text(" ab ")]), assistant("cde")].join("\n"));
    expect(summary).toMatchObject({ found: true, toolUse: false, textChars: 5 });
  });

  it("skips garbage, blank, truncated and non-object lines", () => {
    const lines = [user("go"), "garbage", "", "[1,2]", "null", assistant([text("ok")]), '{"type":"assistant","message":{"content":[{"type":"te'];
    expect(summarizeLastTurn(lines.join("\n"))).toMatchObject({ found: true, assistantMessages: 1, textChars: 2 });
  });

  it("ignores sidechain, meta and compaction lines as turn starts", () => {
    const lines = [
      user("go"),
      assistant([toolUse]),
      user("sub-agent prompt", { isSidechain: true }),
      assistant([text("sub-agent says a lot")], { isSidechain: true }),
      user("Caveat: local command output", { isMeta: true }),
      user([toolResult]),
      assistant([text("ok")]),
    ];
    expect(summarizeLastTurn(lines.join("\n"))).toMatchObject({ found: true, toolUse: true, textChars: 2 });
  });

  it("is not brief without any typed line, or without an answer", () => {
    expect(isBriefAck(summarizeLastTurn(assistant([text("hi")])), 280)).toBe(false);
    expect(isBriefAck(summarizeLastTurn(user("hello")), 280)).toBe(false);
    expect(isBriefAck(summarizeLastTurn(""), 280)).toBe(false);
  });

  it("drops the partial first line of a tail", () => {
    const tail = `${user("this line was cut")}\n${assistant([text("ok")])}`;
    expect(summarizeLastTurn(tail, true).found).toBe(false);
    expect(summarizeLastTurn(tail, false).found).toBe(true);
  });
});

describe("Stop's last_assistant_message (the transcript may lag behind Stop)", () => {
  const fixture = readFileSync(BRIEF, "utf8");
  const withoutFinal = fixture.trimEnd().split("\n").slice(0, -1).join("\n");

  it("fills in a final answer not yet flushed", () => {
    expect(isBriefAck(summarizeLastTurn(withoutFinal), 280)).toBe(false);
    expect(isBriefAck(summarizeLastTurn(withoutFinal, false, "Idle — no change."), 280)).toBe(true);
    expect(isBriefAck(summarizeLastTurn(withoutFinal, false, "x".repeat(281)), 280)).toBe(false);
  });

  it("does not count a final answer twice when the file already has it", () => {
    expect(summarizeLastTurn(fixture, false, "Idle — no change.")).toMatchObject({ assistantMessages: 1, textChars: 17 });
  });

  it("keeps a turn with tool use from being brief", () => {
    expect(isBriefAck(summarizeLastTurn(readFileSync(WORKING, "utf8"), false, "ok"), 280)).toBe(false);
  });
});

describe("readTail", () => {
  it("reads only the end of a large file and treats a turn longer than the tail as not brief", () => {
    const dir = makeTempDir();
    const file = join(dir, "long.jsonl");
    const filler = Array.from({ length: 200 }, (_, i) => assistant([text(`step ${i} ${"z".repeat(100)}`)]));
    writeFileSync(file, [user("go"), ...filler, assistant([text("ok")])].join("\n") + "\n");
    const tail = readTail(file, 4096);
    expect(tail.startsMidLine).toBe(true);
    expect(Buffer.byteLength(tail.text)).toBeLessThanOrEqual(4096);
    expect(briefAckFromTranscript(file, 280, { maxBytes: 4096 })).toBe(false);
    expect(summarizeLastTurn(readTail(file, 1024 * 1024).text).found).toBe(true);
  });

  it("reads at most its bound of a 600 MB transcript, on both paths, and records what it read", async () => {
    const file = join(makeTempDir(), "huge.jsonl");
    writeFileSync(file, "");
    execFileSync("truncate", ["-s", String(600 * 1024 * 1024), file]);
    appendFileSync(file, `\n${user("go")}\n${assistant([text("ok")])}\n`);
    expect(briefAckFromTranscript(file, 280)).toBe(true);
    expect(await briefAckFromTranscriptAsync(file, 280)).toBe(true);
    expect(boundsMeter.snapshot()["transcript.readBytes"]).toMatchObject({ highWater: TRANSCRIPT_TAIL_BYTES, bound: TRANSCRIPT_TAIL_BYTES });
  });

  it("refuses a FIFO without blocking, and reports a missing file", () => {
    const dir = makeTempDir();
    const fifo = join(dir, "fifo.jsonl");
    execFileSync("mkfifo", [fifo]);
    expect(() => readTail(fifo)).toThrow(/not a regular file/);
    expect(() => readTail(join(dir, "missing.jsonl"))).toThrow(/ENOENT/);
  });
});
