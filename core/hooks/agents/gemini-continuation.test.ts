// isGeminiContinuation on Gemini CLI 0.61.0's chat file as it stood at each BeforeAgent of a session looping on an
// AfterAgent hook (recorded by gemini-continuation.test.ts), and on hostile variants: only the exact warning counts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { PROMPT_HEAD_CHARS } from "../input";
import { GEMINI_BLOCKED_PREFIX, isGeminiContinuation } from "./gemini-continuation";

const atBefore = (n: number) => readFileSync(join(FIXTURES, "gemini-real", "continuation", `before-agent-${n}.jsonl`), "utf8");
const REASON = "say ok again #again";
const line = (record: Record<string, unknown>) => JSON.stringify(record);
const warning = (content: string) => line({ id: "w1", timestamp: "2026-12-07T21:24:15.088Z", type: "warning", content });

describe("isGeminiContinuation", () => {
  it("the person's prompts are not (their entry is written after BeforeAgent); the hook's go-ons are, with or without the info line after the warning", () => {
    expect(isGeminiContinuation(atBefore(0), false, "say ok #ok")).toBe(false);
    expect(isGeminiContinuation(atBefore(1), false, REASON)).toBe(true);
    expect(isGeminiContinuation(atBefore(2), false, REASON)).toBe(true);
    expect(isGeminiContinuation(atBefore(3), false, "tell me more #long")).toBe(false);
    // The person typing the hook's reason themselves, after the loop's turns were written: not a continuation.
    expect(isGeminiContinuation(atBefore(3), false, REASON)).toBe(false);
  });

  it("needs the warning to name exactly this prompt (a head of PROMPT_HEAD_CHARS characters may stand for a longer one)", () => {
    expect(isGeminiContinuation(atBefore(1), false, "say ok again")).toBe(false);
    expect(isGeminiContinuation(atBefore(1), false, `${REASON} and more`)).toBe(false);
    const long = "x".repeat(200);
    expect(isGeminiContinuation(warning(`${GEMINI_BLOCKED_PREFIX}${long}`), false, long.slice(0, PROMPT_HEAD_CHARS))).toBe(true);
    expect(isGeminiContinuation(warning(`${GEMINI_BLOCKED_PREFIX}${long}`), false, long.slice(0, PROMPT_HEAD_CHARS - 1))).toBe(false);
  });

  it("fails closed: other warnings, a cut or garbled last line, an empty file and a non-object are the person's", () => {
    expect(isGeminiContinuation(warning("Something else happened"), false, REASON)).toBe(false);
    expect(isGeminiContinuation(`${warning(`${GEMINI_BLOCKED_PREFIX}${REASON}`)}\n{"id":"x","type":"us`, false, REASON)).toBe(false);
    expect(isGeminiContinuation("", false, REASON)).toBe(false);
    expect(isGeminiContinuation("[1]\n", false, REASON)).toBe(false);
    // A tail cut from a larger file: its first, partial line is not read.
    expect(isGeminiContinuation(`${GEMINI_BLOCKED_PREFIX}${REASON}"}`, true, REASON)).toBe(false);
    // A user entry after the warning: the go-on was written, whatever comes next is a new turn.
    expect(isGeminiContinuation(`${warning(`${GEMINI_BLOCKED_PREFIX}${REASON}`)}\n${line({ id: "u", type: "user", content: [{ text: REASON }] })}`, false, REASON)).toBe(false);
  });
});
