// Each agent's events, as the real CLIs sent them (recordings in test-support/fixtures/codex-real and gemini-real),
// mapped to the heartbeats a surface of that agent beats: working, waiting naming the command, idle, offline.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { parseHookInput } from "../input";
import { GEMINI_EVENTS, mapAgentEvent } from "./agent-map";

type Recorded = Record<string, unknown> & { hook_event_name: string };

function input(event: Recorded) {
  const parsed = parseHookInput(JSON.stringify(event));
  if (!parsed.ok) throw new Error(`unparseable fixture ${event.hook_event_name}`);
  return parsed.input;
}

const geminiDir = join(FIXTURES, "gemini-real", "events");
const gemini: Recorded[] = readdirSync(geminiDir)
  .sort()
  .map((name) => JSON.parse(readFileSync(join(geminiDir, name), "utf8")) as Recorded);
const codex: Recorded[] = readFileSync(join(FIXTURES, "codex-real", "person-answers", "hooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { stdin: Recorded }).stdin);

describe("Gemini CLI 0.61.0 events", () => {
  const beats = gemini.map((event) => [event.hook_event_name, mapAgentEvent("gemini", input(event), { pid: 42 })] as const);

  it("beats only for the events Otto Tray installs; the per-model and per-chunk ones say nothing", () => {
    for (const [event, beat] of beats) expect(beat === undefined, event).toBe(!(GEMINI_EVENTS as readonly string[]).includes(event));
  });

  it("works from BeforeAgent, waits at the dialog naming the command, is idle at AfterAgent and offline at SessionEnd", () => {
    const said = beats.filter(([, beat]) => beat !== undefined).map(([event, beat]) => [event, beat?.status, beat?.waiting]);
    expect(said).toContainEqual(["BeforeAgent", "working", undefined]);
    expect(said).toContainEqual(["Notification", "alive", "permission for shell: touch made-by-gemini.txt"]);
    expect(said).toContainEqual(["AfterAgent", "idle", undefined]);
    expect(beats.find(([event]) => event === "SessionEnd")?.[1]).toMatchObject({ status: "idle", event: "SessionEnd", note: "exit", pid: 42 });
    expect(beats.find(([event]) => event === "SessionStart")?.[1]).toMatchObject({ status: "idle", sessionId: gemini[0]?.session_id });
  });

  it("every beat names the chat file (read while the surface waits: a rejected dialog sends no event); AfterAgent carries briefAck when known", () => {
    for (const [event, beat] of beats) if (beat !== undefined) expect(beat.transcriptPath, event).toBe(gemini[0]?.transcript_path);
    const afterAgent = gemini.find((e) => e.hook_event_name === "AfterAgent") as Recorded;
    expect(mapAgentEvent("gemini", input(afterAgent), { briefAck: true })).toMatchObject({ status: "idle", briefAck: true });
    expect(mapAgentEvent("gemini", input(afterAgent))?.briefAck).toBeUndefined();
  });
});

describe("Codex CLI 0.171.0 events", () => {
  const beats = codex.map((event) => [event.hook_event_name, mapAgentEvent("codex", input(event), { pid: 7 })] as const);

  it("reads Codex's Claude-Code-shaped events: working on a prompt and tools, waiting on a command, idle at Stop, offline at SessionEnd", () => {
    const said = beats.map(([event, beat]) => [event, beat?.status, beat?.waiting]);
    expect(said).toContainEqual(["UserPromptSubmit", "working", undefined]);
    expect(said).toContainEqual(["PermissionRequest", "alive", "permission for Bash: echo hi > x.txt"]);
    expect(said).toContainEqual(["PostToolUse", "working", undefined]);
    expect(said).toContainEqual(["Stop", "idle", undefined]);
    expect(beats.find(([event]) => event === "SessionEnd")?.[1]).toMatchObject({ status: "idle", event: "SessionEnd" });
  });

  it("never beats for a Notification (Codex has none; one claiming to be from Codex is ignored)", () => {
    expect(mapAgentEvent("codex", input({ hook_event_name: "Notification", notification_type: "permission_prompt", message: "x" }))).toBeUndefined();
  });
});
