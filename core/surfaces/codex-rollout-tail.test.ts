// classifyCodexTurn on a real Codex 0.171.0 rollout tail (Esc while its PermissionRequest hook waited) and on lines in
// the same shapes: only turn_aborted or task_complete end a turn; anything unclear is unknown.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { classifyCodexTurn } from "./codex-rollout-tail";

const interrupted = readFileSync(join(FIXTURES, "codex-real", "interrupted", "rollout-tail.jsonl"), "utf8");
const line = (at: string, type: string, payload: Record<string, unknown>) => JSON.stringify({ timestamp: at, type, payload });
const started = line("2026-12-07T21:00:00.000Z", "event_msg", { type: "task_started", turn_id: "t1" });
const prompt = line("2026-12-07T21:00:00.100Z", "response_item", { type: "message", role: "user", content: [{ type: "input_text", text: "#write please" }] });
const call = line("2026-12-07T21:00:00.200Z", "response_item", { type: "function_call", name: "exec_command", arguments: "{}", call_id: "c1" });
const output = line("2026-12-07T21:00:01.000Z", "response_item", { type: "function_call_output", call_id: "c1", output: "ok" });
const reply = line("2026-12-07T21:00:01.500Z", "response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: "Done." }] });
const complete = line("2026-12-07T21:00:01.600Z", "event_msg", { type: "task_complete", turn_id: "t1" });

describe("classifyCodexTurn", () => {
  it("reads Esc (turn_aborted, recorded from Codex 0.171.0) as an interrupted turn, at its time", () => {
    expect(classifyCodexTurn(interrupted)).toEqual({ kind: "interrupted", at: Date.parse("2026-12-07T21:10:35.427Z") });
  });

  it("reads task_complete as the turn's end", () => {
    expect(classifyCodexTurn([started, prompt, call, output, reply, complete].join("\n"))).toEqual({ kind: "turn-ended", at: Date.parse("2026-12-07T21:00:01.600Z") });
  });

  it("a call without output is pending (a dialog, or a hook, or the command running); a prompt without reply is no-reply", () => {
    expect(classifyCodexTurn([started, prompt, call].join("\n"))).toMatchObject({ kind: "tool-pending", tool: "exec_command" });
    expect(classifyCodexTurn([started, prompt].join("\n"))).toMatchObject({ kind: "no-reply" });
    expect(classifyCodexTurn([complete, started, prompt, call].join("\n"))).toMatchObject({ kind: "tool-pending" });
  });

  it("fails closed: garbage, a cut first line, other records and nothing at all are unknown or skipped", () => {
    expect(classifyCodexTurn("")).toMatchObject({ kind: "unknown" });
    expect(classifyCodexTurn("not json\n{\"type\":\"event_msg\"}\n[1,2]")).toMatchObject({ kind: "unknown" });
    expect(classifyCodexTurn(`sk","payload":{"type":"task_complete"}}\n${started}\n${prompt}\n${call}`, true)).toMatchObject({ kind: "tool-pending" });
    // A line still being written at the end is skipped, not read as the turn's end.
    expect(classifyCodexTurn(`${started}\n${prompt}\n${call}\n{"timestamp":"x","type":"event_msg","payload":{"type":"task_comp`)).toMatchObject({ kind: "tool-pending" });
  });
});
