// The handler's mapping fed with the stdin the real Claude Code 2.1.330 sent (recordings in test-support/fixtures/claude-code-real).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HeartbeatPayload } from "../bus/envelope";
import { briefAckStreak } from "../surfaces/streak";
import { FIXTURES } from "../../test-support/cli";
import { hookExample, hookExamples } from "../../test-support/hook-examples";
import { parseHookInput } from "./input";
import { mapHookEvent } from "./map";
import { installHooks } from "./settings";

const REAL = join(FIXTURES, "claude-code-real");
const examples = hookExamples;
const example = hookExample;
const walk = readFileSync(join(REAL, "walk-hooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { stdin: Record<string, unknown> }).stdin);
const subagent = readFileSync(join(REAL, "subagent-compact", "hooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { stdin: Record<string, unknown> }).stdin);

function map(stdin: Record<string, unknown>): HeartbeatPayload | undefined {
  const parsed = parseHookInput(JSON.stringify(stdin));
  if (!parsed.ok) throw new Error(`recorded stdin did not parse: ${parsed.error}`);
  return mapHookEvent(parsed.input, { pid: 27548 });
}

describe("real Claude Code 2.1.330 events", () => {
  it.each([
    ["SessionStart:startup", { status: "idle", note: "startup" }],
    ["SessionStart:compact", { status: "alive", note: "compact" }],
    ["UserPromptSubmit", { status: "working", event: "UserPromptSubmit" }],
    ["PreToolUse", { status: "working", note: "Bash" }],
    ["PermissionRequest", { status: "alive", waiting: "permission for Bash: rm -rf build" }],
    ["PostToolUse", { status: "working", note: "Bash" }],
    ["PostToolUseFailure", { status: "working", note: "Bash" }],
    ["PostToolBatch", { status: "working" }],
    ["Stop", { status: "idle" }],
    ["Notification:permission_prompt", { status: "alive", waiting: "permission_prompt: Claude needs your permission" }],
    ["Notification:agent_needs_input", { status: "alive", waiting: expect.stringMatching(/^agent_needs_input: Auto mode can't check actions/) }],
    ["Notification:idle_prompt", { status: "idle", note: "idle_prompt" }],
    ["SessionEnd:prompt_input_exit", { status: "idle", event: "SessionEnd", note: "prompt_input_exit" }],
  ] as const)("maps the recorded %s", (key, expected) => {
    const payload = map(example(key));
    expect(payload).toMatchObject({ ...expected, pid: 27548, sessionId: example(key).session_id, transcriptPath: example(key).transcript_path });
  });

  it("PermissionRequest for Write and Edit names the file", () => {
    const requests = walk.filter((e) => e.hook_event_name === "PermissionRequest").map((e) => map(e)?.waiting);
    expect(requests).toEqual([
      "permission for Bash: npm test",
      "permission for Bash: rm -rf build",
      "permission for Write: /Users/dev/src/app/notes.txt",
      "permission for Edit: /Users/dev/src/app/README.md",
    ]);
  });

  it("a dialog is waiting from its PermissionRequest on, before any Notification fired", () => {
    // The "#test" turn of the walk: the dialog's PermissionRequest comes ~6 s before Notification permission_prompt.
    const turn = walk.slice(walk.findIndex((e) => String(e.prompt).includes("#test")));
    const firstWaiting = turn.findIndex((e) => map(e)?.waiting !== undefined);
    expect(turn[firstWaiting]?.hook_event_name).toBe("PermissionRequest");
    expect(turn.slice(0, firstWaiting).some((e) => e.hook_event_name === "Notification")).toBe(false);
  });

  it("Notification elicitation_dialog is waiting", () => {
    const stdin = { ...example("Notification:permission_prompt"), notification_type: "elicitation_dialog", message: "Claude Code needs your input" };
    expect(map(stdin)).toMatchObject({ status: "alive", waiting: "elicitation_dialog: Claude Code needs your input" });
  });

  it("every event of the recorded walk maps to a heartbeat (none is lost)", () => {
    const unmapped = walk.filter((e) => map(e) === undefined).map((e) => e.hook_event_name);
    expect(unmapped).toEqual([]);
  });

  it("a <task-notification> UserPromptSubmit is marked and does not reset a standing-by streak", () => {
    const notification = subagent.find((e) => e.hook_event_name === "UserPromptSubmit" && String(e.prompt).startsWith("<task-notification>"));
    if (notification === undefined) throw new Error("the recording has no <task-notification> prompt");
    const payload = map(notification);
    expect(payload).toMatchObject({ status: "working", event: "TaskNotification" });
    const ack = (n: number) => ({ id: `a${n}`, surface: "otto-cli", at: n, status: "idle" as const, event: "Stop", briefAck: true });
    const history = [ack(1), ack(2), { ...(payload as HeartbeatPayload), id: "t", surface: "otto-cli", at: 3 }, ack(4)];
    expect(briefAckStreak(history).count).toBe(3);
    // The person's own prompt still resets it.
    const person = map(example("UserPromptSubmit")) as HeartbeatPayload;
    expect(briefAckStreak([ack(1), ack(2), { ...person, id: "p", surface: "otto-cli", at: 3 }, ack(4)]).count).toBe(1);
  });

  it("the installer registers exactly the events the handler maps", () => {
    const recorded = [...Object.values(examples).map((e) => e.stdin), ...walk, ...subagent];
    const mapped = new Set(recorded.filter((e) => map(e) !== undefined).map((e) => String(e.hook_event_name)));
    const installed = Object.keys(installHooks({}, "otto-cli", "otto-tray hook --surface otto-cli --pid \"$PPID\"").settings.hooks as object);
    expect(new Set(installed)).toEqual(mapped);
    expect(installed).toContain("PermissionRequest");
  });
});
