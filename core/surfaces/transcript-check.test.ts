// A surface silent mid-turn, checked against the real Claude Code transcript: an Esc is seen, a hang is not guessed.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, writeEnvelope } from "../bus/writer";
import { DetectionEngine } from "../detect/engine";
import { parsePrefs } from "../prefs/load";
import type { SurfaceEvaluation } from "./state";
import { TranscriptCheck } from "./transcript-check";
import { classifyTurn } from "./transcript-tail";

// The recorded session (real Claude Code 2.1.330), one JSON line per entry.
const LINES = readFileSync(join(FIXTURES, "claude-code-real", "walk-transcript.trimmed.jsonl"), "utf8").trim().split("\n");
/** The transcript as it stood right after the entry whose text contains `marker` (plus the non-conversation lines after it). */
function upTo(marker: string, occurrence = 1): string {
  let seen = 0;
  const index = LINES.findIndex((line) => line.includes(marker) && ++seen === occurrence);
  if (index < 0) throw new Error(`no line with ${marker}`);
  let end = index + 1;
  while (end < LINES.length && !/"type":"(user|assistant)"/.test(LINES[end] as string)) end++;
  return `${LINES.slice(0, end).join("\n")}\n`;
}

const REJECTED = upTo("[Request interrupted by user for tool use]");
const INTERRUPTED_TURN = upTo("this will be interrupted #interrupt");
const DIALOG_OPEN = upTo(`"command":"rm -rf build"`);
const TOOL_RESULT = upTo(`"tool_result","content":"total 24`);
const TURN_ENDED = upTo(`"text":"Listed the files."`);

describe("classifyTurn on the recorded transcript", () => {
  it.each([
    ["a dialog rejected with Esc", REJECTED, { kind: "dialog-rejected", tool: "Edit" }],
    ["a busy turn interrupted with Esc: the prompt is last, no reply", INTERRUPTED_TURN, { kind: "no-reply" }],
    ["a dialog still open", DIALOG_OPEN, { kind: "tool-pending", tool: "Bash" }],
    ["a tool's result sent to the model", TOOL_RESULT, { kind: "no-reply" }],
    ["a finished turn", TURN_ENDED, { kind: "turn-ended" }],
    ["nothing", "", { kind: "unknown" }],
    ["garbage", "not json\n{\n", { kind: "unknown" }],
  ] as const)("%s", (_name, text, expected) => {
    expect(classifyTurn(text)).toMatchObject(expected);
  });

  it("ignores a cut first line and sub-agent lines", () => {
    const sidechain = JSON.stringify({ type: "assistant", isSidechain: true, message: { content: [{ type: "text", text: "sub" }] } });
    expect(classifyTurn(`{"half":\n${REJECTED}${sidechain}\n`, true)).toMatchObject({ kind: "dialog-rejected" });
  });
});

const at = (iso: string) => Date.parse(iso);
function record(iso: string, payload: Partial<HeartbeatPayload>): HeartbeatRecord {
  return { id: `id-${iso}`, surface: "otto-cli", at: at(iso), status: "alive", sessionId: "s1", ...payload };
}
function evaluation(state: SurfaceEvaluation["state"], lastIso: string, reason = "r"): SurfaceEvaluation {
  return { state, lastBeatAt: at(lastIso), reason };
}

describe("TranscriptCheck.apply", () => {
  const dir = makeTempDir("otto-transcript-");
  const file = (name: string, text: string) => {
    const path = join(dir, `${name}.jsonl`);
    writeFileSync(path, text);
    return path;
  };
  const check = new TranscriptCheck();
  const STALE = 300;
  const waitingAt = "2026-11-21T18:12:06Z";
  const later = at("2026-11-21T18:20:00Z");

  it("a waiting surface whose dialog was rejected with Esc is idle, and says why", () => {
    const history = [record(waitingAt, { waiting: "permission for Edit: README.md", transcriptPath: file("rejected", REJECTED) })];
    const result = check.apply(evaluation("waiting", waitingAt), history, later, STALE);
    expect(result.state).toBe("idle");
    expect(result.reason).toMatch(/Edit permission dialog was rejected in the terminal \(transcript\)/);
  });

  it("before staleAfterSeconds nothing is read: the state stands", () => {
    const history = [record(waitingAt, { waiting: "x", transcriptPath: file("rejected-early", REJECTED) })];
    expect(check.apply(evaluation("waiting", waitingAt), history, at(waitingAt) + 60_000, STALE).state).toBe("waiting");
  });

  it("a turn left without a reply is neither hung nor idle: stale, with a reason saying what is known", () => {
    const promptAt = "2026-11-21T18:11:35Z";
    const history = [record(promptAt, { status: "working", event: "UserPromptSubmit", transcriptPath: file("no-reply", INTERRUPTED_TURN) })];
    const result = check.apply(evaluation("hung", promptAt), history, later, STALE);
    expect(result.state).toBe("stale");
    expect(result.reason).toMatch(/interrupted with Esc, or the model never answered \(the transcript cannot tell which\)/);
  });

  it("a dialog still open stays waiting", () => {
    const history = [record("2026-11-21T18:11:56Z", { waiting: "permission for Bash: rm -rf build", transcriptPath: file("open", DIALOG_OPEN) })];
    const result = check.apply(evaluation("waiting", "2026-11-21T18:11:56Z"), history, later, STALE);
    expect(result).toMatchObject({ state: "waiting", reason: expect.stringMatching(/Bash call unanswered/) });
  });

  it.each([
    ["missing", join(dir, "missing.jsonl")],
    ["a directory", (() => {
      const d = join(dir, "dir.jsonl");
      mkdirSync(d);
      return d;
    })()],
    ["not a transcript", join(dir, "notes.txt")],
  ])("fails closed on a transcript that is %s: the state stands and the reason says so", (_name, path) => {
    const history = [record(waitingAt, { waiting: "x", transcriptPath: path })];
    const result = check.apply(evaluation("waiting", waitingAt, "waiting: x"), history, later, STALE);
    expect(result).toMatchObject({ state: "waiting", reason: expect.stringMatching(/^waiting: x; transcript not usable/) });
  });

  it("an unreadable transcript fails closed", () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const path = file("unreadable", REJECTED);
    chmodSync(path, 0o000);
    const history = [record(waitingAt, { waiting: "x", transcriptPath: path })];
    expect(check.apply(evaluation("waiting", waitingAt), history, later, STALE).state).toBe("waiting");
  });

  it("a transcript whose last entry predates the last heartbeat changes nothing", () => {
    const history = [record("2026-11-21T18:30:00Z", { waiting: "x", transcriptPath: file("old", REJECTED) })];
    expect(check.apply(evaluation("waiting", "2026-11-21T18:30:00Z"), history, at("2026-11-21T18:40:00Z"), STALE).state).toBe("waiting");
  });

  it("only the current session's transcript counts", () => {
    const history = [record(waitingAt, { transcriptPath: file("s0", REJECTED), sessionId: "s0" }), record(waitingAt, { waiting: "x", sessionId: "s1" })];
    expect(check.apply(evaluation("waiting", waitingAt), history, later, STALE)).toMatchObject({ state: "waiting", reason: "r" });
  });
});

describe("the engine rechecks a silent surface against its transcript", () => {
  it("PermissionRequest then Esc: waiting until staleAfterSeconds, then idle from the transcript", () => {
    const bus = makeTempDir("otto-bus-");
    chmodSync(bus, 0o700);
    const transcript = join(makeTempDir("otto-cc-"), "session.jsonl");
    writeFileSync(transcript, REJECTED);
    const beatAt = at("2026-11-21T18:12:06Z");
    const payload: HeartbeatPayload = { status: "alive", event: "PermissionRequest", waiting: "permission for Edit: README.md", pid: process.pid, sessionId: "s1", transcriptPath: transcript };
    writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", from: "otto-cli", payload }, new Date(beatAt)));
    const reader = new BusReader(bus);
    const engine = new DetectionEngine({ reader, prefs: parsePrefs({ surfaces: [{ id: "otto-cli" }] }) });
    reader.scan();
    const surface = (now: number) => engine.evaluate(now).snapshot.surfaces.find((s) => s.id === "otto-cli");
    expect(surface(beatAt + 60_000)?.state).toBe("waiting");
    expect(surface(beatAt + 400_000)).toMatchObject({ state: "idle", reason: expect.stringMatching(/rejected in the terminal/) });
  });
});
