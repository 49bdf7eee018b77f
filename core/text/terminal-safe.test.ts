// Display text never carries escape sequences, control characters or forged line breaks into a terminal.
import { describe, expect, it } from "vitest";
import { displayLine, terminalSafe, terminalSafeLines } from "./terminal-safe";

describe("terminalSafe", () => {
  it.each([
    ["colour codes are removed", "\u001b[31mred\u001b[0m", "red"],
    ["an OSC title change (BEL) is removed", "a\u001b]0;pwned\u0007b", "ab"],
    ["an OSC 8 hyperlink (ST) is removed", "\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\", "link"],
    ["8-bit CSI is removed", "x\u009b2Jy", "xy"],
    ["newlines cannot add rows", "line1\nline2\r\nline3", "line1 line2 line3"],
    ["other controls are dropped", "bell\u0007 nul\u0000 del\u007f", "bell nul del"],
    ["bidi overrides are dropped", "abc\u202edcb", "abcdcb"],
    ["printable unicode stays", "héllo — ✻ 日本 ❯", "héllo — ✻ 日本 ❯"],
  ])("%s", (_name, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it("keeps the line structure of a multi-line message", () => {
    expect(terminalSafeLines("one\u001b[2J\ntwo\tthree")).toBe("one\ntwo three");
  });
});

describe("displayLine", () => {
  it("cleans, collapses spaces and keeps short text whole", () => {
    expect(displayLine("  Bash(\u001b[31mrm\u001b[0m   -rf)\n ok ", 60)).toBe("Bash(rm -rf) ok");
  });

  it("cuts long text to the limit, ending in an ellipsis", () => {
    expect(displayLine("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
    expect(Array.from(displayLine("x".repeat(100), 10))).toHaveLength(10);
  });

  it("never splits an emoji", () => {
    expect(displayLine("😀".repeat(20), 5)).toBe("😀😀😀😀…");
  });
});
