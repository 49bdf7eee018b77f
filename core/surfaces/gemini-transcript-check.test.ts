// A Gemini surface waiting on its dialog, checked against its real chat file at once: a rejection (no event follows) makes it idle; nothing else does.
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, writeEnvelope } from "../bus/writer";
import { DetectionEngine } from "../detect/engine";
import { readTail } from "../hooks/transcript";
import { parsePrefs } from "../prefs/load";
import type { SurfaceEvaluation } from "./state";
import { TranscriptCheck } from "./transcript-check";

const recording = (name: string) => readFileSync(join(FIXTURES, "gemini-real", "transcripts", `${name}.jsonl`), "utf8");
const REJECTED = recording("rejected-esc");
const REJECTED_3 = recording("rejected-3");
const DIALOG_OPEN = recording("rejected-esc.dialog-open");
/** When Gemini wrote `Request cancelled.` in the Esc recording. */
const CANCELLED_AT = Date.parse("2026-12-07T21:11:16.217Z");
/** The Notification beat: between the model's call (14.210) and the rejection. */
const WAITING_AT = CANCELLED_AT - 1000;
const STALE = 300;

function record(at: number, payload: Partial<HeartbeatPayload>): HeartbeatRecord {
  return { id: `id-${at}`, surface: "gem-main", at, status: "alive", event: "Notification", sessionId: "g1", ...payload };
}
const waiting = (at = WAITING_AT): SurfaceEvaluation => ({ state: "waiting", lastBeatAt: at, reason: "waiting: permission for shell: touch rejected-with-esc.txt" });

describe("TranscriptCheck for a Gemini surface", () => {
  const dir = makeTempDir("otto-gemini-check-");
  const file = (name: string, text: string) => {
    const path = join(dir, `${name}.jsonl`);
    writeFileSync(path, text);
    return path;
  };
  const check = new TranscriptCheck();
  const beat = (path: string, at = WAITING_AT) => [record(at, { waiting: "permission for shell: touch rejected-with-esc.txt", transcriptPath: path })];

  it.each([
    ["Esc", REJECTED],
    ["3", REJECTED_3],
  ])("waiting, its dialog rejected with %s: idle at once (no silence needed), and says why", (_key, text) => {
    const path = file(`rejected-${_key}`, text);
    const cancelledAt = Date.parse((JSON.parse(text.split("\n").findLast((l) => l.includes("Request cancelled.")) as string) as { timestamp: string }).timestamp);
    const result = check.apply(waiting(cancelledAt - 1000), beat(path, cancelledAt - 1000), cancelledAt + 2000, STALE, "gemini");
    expect(result).toEqual({ state: "idle", lastBeatAt: cancelledAt - 1000, reason: "the Shell permission dialog was rejected in the terminal (transcript); no event for 3s" });
  });

  it("the same surface named as Claude Code's is not read before the silence (the early look is Gemini's only)", () => {
    const path = file("rejected-as-claude", REJECTED);
    expect(check.apply(waiting(), beat(path), WAITING_AT + 3000, STALE, "claude-code")).toEqual(waiting());
  });

  it("only a waiting Gemini surface is read early: working stays working", () => {
    const path = file("rejected-working", REJECTED);
    const working: SurfaceEvaluation = { state: "working", lastBeatAt: WAITING_AT, reason: "heartbeat says working" };
    expect(check.apply(working, [record(WAITING_AT, { status: "working", event: "BeforeTool", transcriptPath: path })], WAITING_AT + 3000, STALE, "gemini")).toEqual(working);
  });

  it("the dialog still open: waiting, unchanged", () => {
    expect(check.apply(waiting(), beat(file("open", DIALOG_OPEN)), WAITING_AT + 3000, STALE, "gemini")).toEqual(waiting());
  });

  it("a cancellation older than the last beat (an earlier turn) changes nothing but a note", () => {
    const later = CANCELLED_AT + 60_000;
    const result = check.apply(waiting(later), beat(file("old", REJECTED), later), later + 3000, STALE, "gemini");
    expect(result).toEqual({ ...waiting(later), reason: `${waiting(later).reason}; the transcript's last entry predates the last heartbeat` });
  });

  it.each([
    ["missing", () => join(dir, "missing.jsonl")],
    ["a directory", () => {
      const d = join(dir, "dir.jsonl");
      mkdirSync(d, { recursive: true });
      return d;
    }],
    ["a FIFO (not read: it would block)", () => {
      const f = join(dir, "fifo.jsonl");
      execFileSync("mkfifo", [f]);
      return f;
    }],
    ["garbage", () => file("garbage", "not json\n{\"half\":\n")],
    ["not a .jsonl file", () => join(dir, "notes.txt")],
  ])("fails closed on a chat file that is %s: still waiting, the reason says so", (_name, make) => {
    const result = check.apply(waiting(), beat(make()), WAITING_AT + 3000, STALE, "gemini");
    expect(result.state).toBe("waiting");
    expect(result.reason).toMatch(/^waiting: permission for shell: touch rejected-with-esc\.txt; transcript not usable \(/);
  });

  it("an unreadable chat file fails closed", () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const path = file("unreadable", REJECTED);
    chmodSync(path, 0o000);
    expect(check.apply(waiting(), beat(path), WAITING_AT + 3000, STALE, "gemini").state).toBe("waiting");
  });

  it("after the silence: a reply with text written before the beat (a call's message, its dialog open) is not a finished turn", () => {
    // Gemini writes the model's message before it asks for the calls in it: with text, it reads like a reply.
    const withText = DIALOG_OPEN.replace(/"type":"gemini","content":""/, `"type":"gemini","content":"I will create the file."`);
    const result = check.apply(waiting(), beat(file("text-and-call", withText)), WAITING_AT + 400_000, STALE, "gemini");
    expect(result).toMatchObject({ state: "waiting", reason: expect.stringMatching(/predates the last heartbeat$/) });
  });

  it("after the silence: a reply written after the last beat (its AfterAgent lost) ends the turn", () => {
    const text = recording("brief-ok");
    const replyAt = Date.parse("2026-12-07T21:11:22.727Z");
    const working: SurfaceEvaluation = { state: "working", lastBeatAt: replyAt - 100, reason: "busy" };
    const result = check.apply(working, [record(replyAt - 100, { status: "working", event: "BeforeAgent", transcriptPath: file("lost-after-agent", text) })], replyAt + 400_000, STALE, "gemini");
    expect(result).toMatchObject({ state: "idle", reason: expect.stringMatching(/^the turn ended without an AfterAgent event \(transcript\)/) });
  });

  it("reads the file once per change: the verdict is cached by size and mtime", () => {
    const path = file("cached", DIALOG_OPEN);
    let reads = 0;
    const counting = new TranscriptCheck((p, max) => {
      reads++;
      return readTail(p, max);
    });
    for (let i = 0; i < 5; i++) expect(counting.apply(waiting(), beat(path), WAITING_AT + 1000 + i * 1000, STALE, "gemini").state).toBe("waiting");
    expect(reads).toBe(1);
    appendFileSync(path, REJECTED.slice(DIALOG_OPEN.length));
    expect(counting.apply(waiting(), beat(path), WAITING_AT + 7000, STALE, "gemini").state).toBe("idle");
    expect(reads).toBe(2);
  });
});

describe("the engine reads a waiting Gemini surface's chat file", () => {
  it("Notification, then the dialog rejected (no event): idle within seconds, nothing waiting any more", () => {
    const bus = makeTempDir("otto-bus-");
    chmodSync(bus, 0o700);
    const transcript = join(makeTempDir("otto-gemini-"), "session-2026-12-07T21-11-f26f52fd.jsonl");
    writeFileSync(transcript, DIALOG_OPEN);
    const payload: HeartbeatPayload = { status: "alive", event: "Notification", waiting: "permission for shell: touch rejected-with-esc.txt", pid: process.pid, sessionId: "g1", transcriptPath: transcript };
    writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", from: "gem-main", payload }, new Date(WAITING_AT)));
    const reader = new BusReader(bus);
    const engine = new DetectionEngine({ reader, prefs: parsePrefs({ surfaces: [{ id: "gem-main", agent: "gemini" }] }) });
    reader.scan();
    const surface = (now: number) => engine.evaluate(now).snapshot.surfaces.find((s) => s.id === "gem-main");
    expect(surface(WAITING_AT + 500)).toMatchObject({ state: "waiting", waiting: "permission for shell: touch rejected-with-esc.txt" });
    writeFileSync(transcript, REJECTED);
    expect(surface(CANCELLED_AT + 1500)).toMatchObject({
      state: "idle",
      waiting: null,
      reason: expect.stringMatching(/^the Shell permission dialog was rejected in the terminal \(transcript\)/),
    });
  });

  it("AfterAgent beats with briefAck: the streak counts them and the nudge goes to the Gemini surface", () => {
    const bus = makeTempDir("otto-bus-");
    chmodSync(bus, 0o700);
    const start = Date.parse("2026-12-07T21:11:22.000Z");
    const beat = (offset: number, payload: HeartbeatPayload) => writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", from: "gem-main", payload }, new Date(start + offset)));
    beat(0, { status: "working", event: "BeforeAgent", pid: process.pid, sessionId: "g1" });
    beat(800, { status: "idle", event: "AfterAgent", briefAck: true, pid: process.pid, sessionId: "g1" });
    const reader = new BusReader(bus);
    const published: unknown[] = [];
    const engine = new DetectionEngine({
      reader,
      prefs: parsePrefs({ surfaces: [{ id: "gem-main", agent: "gemini" }], briefAckEscalateAfter: 1 }),
      publish: (draft) => {
        published.push(draft);
        return buildEnvelope(draft);
      },
    });
    reader.scan();
    const result = engine.evaluate(start + 2000);
    expect(result.snapshot.surfaces.find((s) => s.id === "gem-main")).toMatchObject({ state: "standing-by", briefAckStreak: 1, agent: "gemini" });
    expect(published).toEqual([expect.objectContaining({ topic: "infinite-backlog-nudge", to: "gem-main", payload: expect.objectContaining({ surface: "gem-main", streak: 1 }) })]);
  });
});
