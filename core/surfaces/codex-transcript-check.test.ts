// A Codex surface waiting on a prompt, checked against its session file at once: Esc (on the dialog, or while its
// PermissionRequest hook waits, which Codex ends outright) sends no event but writes turn_aborted; nothing else counts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import type { SurfaceEvaluation } from "./state";
import { TranscriptCheck } from "./transcript-check";

const INTERRUPTED = readFileSync(join(FIXTURES, "codex-real", "interrupted", "rollout-tail.jsonl"), "utf8");
/** When Codex wrote turn_aborted in the recording; the PermissionRequest beat came 2.9 s before. */
const ABORTED_AT = Date.parse("2026-12-07T21:10:35.427Z");
const WAITING_AT = Date.parse("2026-12-07T21:10:32.520Z");
const STALE = 300;
const WAITING: SurfaceEvaluation = { state: "waiting", lastBeatAt: WAITING_AT, reason: "waiting: permission for Bash: echo hi > x.txt" };

describe("TranscriptCheck for a Codex surface", () => {
  const dir = makeTempDir("otto-codex-check-");
  const file = (name: string, text: string) => {
    const path = join(dir, `rollout-${name}.jsonl`);
    writeFileSync(path, text);
    return path;
  };
  const beat = (path: string, at = WAITING_AT): HeartbeatRecord[] => [
    { id: `id-${at}`, surface: "codex-main", at, status: "alive", event: "PermissionRequest", sessionId: "c1", waiting: "permission for Bash: echo hi > x.txt", transcriptPath: path },
  ];

  it("waiting, then Esc: idle at once (no silence needed), and says why", () => {
    const check = new TranscriptCheck();
    const result = check.apply(WAITING, beat(file("esc", INTERRUPTED)), ABORTED_AT + 2000, STALE, "codex");
    expect(result).toEqual({ state: "idle", lastBeatAt: WAITING_AT, reason: "the turn was interrupted in the terminal (transcript); no event for 5s" });
  });

  it("waiting while the call has no output (the hook waits, or the dialog is up): unchanged", () => {
    const check = new TranscriptCheck();
    const open = INTERRUPTED.split("\n").slice(0, 2).join("\n");
    expect(check.apply(WAITING, beat(file("open", open)), ABORTED_AT, STALE, "codex")).toEqual(WAITING);
  });

  it("an Esc of an earlier turn (before the waiting beat) changes nothing but the reason", () => {
    const check = new TranscriptCheck();
    const later = ABORTED_AT + 60_000;
    const result = check.apply({ ...WAITING, lastBeatAt: later }, beat(file("old", INTERRUPTED), later), later + 2000, STALE, "codex");
    expect(result.state).toBe("waiting");
    expect(result.reason).toContain("the transcript's last entry predates the last heartbeat");
  });

  it("the same file read as Claude Code's transcript says nothing early (the early look is for agents whose Esc is silent)", () => {
    const check = new TranscriptCheck();
    expect(check.apply(WAITING, beat(file("claude", INTERRUPTED)), ABORTED_AT + 2000, STALE, "claude-code")).toEqual(WAITING);
  });

  it("an unreadable path is a note, never a change", () => {
    const check = new TranscriptCheck();
    const result = check.apply(WAITING, beat(join(dir, "rollout-missing.jsonl")), ABORTED_AT + 2000, STALE, "codex");
    expect(result.state).toBe("waiting");
    expect(result.reason).toMatch(/transcript not usable \(ENOENT/);
  });
});
