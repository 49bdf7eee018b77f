// Option labels classified by meaning: Gemini CLI's widening answers are never taken for its single-use "Allow once".
import { describe, expect, it } from "vitest";
import { optionMeaning } from "./option-meaning";

describe("optionMeaning on Gemini CLI 0.61.0's labels", () => {
  it.each([
    ["Allow once", "allow-once"],
    ["Allow for this session", "allow-always"],
    ["Allow for all future sessions", "allow-always"],
    ["Allow for this file in all future sessions", "allow-always"],
    ["Allow tool for this session", "allow-always"],
    ["Allow all server tools for this session", "allow-always"],
    ["Allow tool for all future sessions", "allow-always"],
    ["No, suggest changes (esc)", "deny"],
    ["Modify with external editor", "other"],
  ])("%s → %s", (label, meaning) => {
    expect(optionMeaning(label)).toBe(meaning);
  });
});
