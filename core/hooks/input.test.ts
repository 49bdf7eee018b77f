// Parsing hook stdin: real fixture events, garbage, and the salvage of oversized events.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { parseHookInput, salvageHookInput } from "./input";

const EVENTS = join(FIXTURES, "claude-code", "hook-events");

describe("parseHookInput", () => {
  it.each(readdirSync(EVENTS))("reads the fixture %s", (file) => {
    const text = readFileSync(join(EVENTS, file), "utf8");
    const raw = JSON.parse(text) as Record<string, string>;
    const parsed = parseHookInput(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.input.hookEventName).toBe(raw.hook_event_name);
    expect(parsed.input.sessionId).toBe(raw.session_id);
    expect(parsed.input.transcriptPath).toBe(raw.transcript_path);
  });

  it.each([
    ["", "empty"],
    ["   \n", "empty"],
    ["{not json", "not-json"],
    ["[1,2]", "not-an-object"],
    ["null", "not-an-object"],
    ['"Stop"', "not-an-object"],
    ["{}", "no-event-name"],
    ['{"hook_event_name": 7}', "no-event-name"],
    ['{"hook_event_name": "Stop; rm -rf /"}', "no-event-name"],
  ])("rejects %j as %s", (text, error) => {
    expect(parseHookInput(text)).toEqual({ ok: false, error });
  });

  it("ignores fields of the wrong type and own-property tricks", () => {
    const parsed = parseHookInput('{"hook_event_name":"PreToolUse","session_id":42,"tool_name":["Bash"],"__proto__":{"cwd":"x"}}');
    expect(parsed).toEqual({ ok: true, salvaged: false, input: { hookEventName: "PreToolUse" } });
  });
});

describe("salvageHookInput", () => {
  it("recovers the top-level fields from the head of a huge PostToolUse", () => {
    const head = readFileSync(join(EVENTS, "post-tool-use.json"), "utf8").replace(/"tool_response"[\s\S]*/, `"tool_response": {"stdout": "${"y".repeat(5000)}`);
    const parsed = salvageHookInput(head);
    expect(parsed).toMatchObject({ ok: true, salvaged: true, input: { hookEventName: "PostToolUse", toolName: "Bash" } });
  });

  it("decodes escapes and gives up without an event name", () => {
    expect(salvageHookInput('{"hook_event_name":"Stop","cwd":"a\\"b"')).toMatchObject({ ok: true, input: { cwd: 'a"b' } });
    expect(salvageHookInput("x".repeat(10_000))).toEqual({ ok: false, error: "no-event-name" });
  });
});
