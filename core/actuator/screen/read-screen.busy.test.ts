// A running turn is told by its spinner line above the input box even where the footer shows no interrupt hint.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { readScreen } from "./read-screen";

const idle = readFileSync(join(FIXTURES, "claude-code-real", "screens", "idle-after-text-turn.txt"), "utf8");
const DONE = "✻ Cooked for 8s · done 6:11 PM";
// The status line as Claude Code draws a running turn's: right above the input box's top rule, a blank row between.
function withStatus(status: string): string {
  const rows = idle.split("\n");
  const rules = rows.flatMap((r, i) => (/^─{20,}$/.test(r) ? [i] : []));
  const top = rules.at(-2) ?? -1;
  return [...rows.slice(0, top), status, "", ...rows.slice(top)].join("\n");
}

describe("readScreen: busy from the spinner line", () => {
  it("the fixture's ordinary footer has no interrupt hint and the finished turn's line reads idle", () => {
    expect(idle).toContain(DONE);
    expect(idle).not.toMatch(/interrupt/);
    expect(readScreen(idle).kind).toBe("idle");
  });

  it.each([
    "✳ Enchanting… (ctrl+c to interrupt · 3m 17s · ↓ 3.1k tokens)",
    "✳ Enchanting… (3m 17s · ↓ 3.1k tokens)",
    "✻ Forging… (esc to interrupt)",
    "· Thinking… (45s · 1234 tokens)",
    "* Actualizing… (12s · ↑ 40 tokens · esc to interrupt)",
  ])("%s above the input box is a running turn", (status) => {
    expect(readScreen(withStatus(status)).kind).toBe("busy");
  });

  it("the spinner is found under its tip line (2.0.77 draws `⎿ Tip: …` between it and the box)", () => {
    expect(readScreen(withStatus("✻ Forging… (esc to interrupt)\n  ⎿  Tip: Hit shift+tab to cycle between modes\n")).kind).toBe("busy");
  });

  it.each([
    ["a finished turn's line", "✻ Worked for 3m 17s · done 6:12 PM"],
    ["a spinner-like line without time, tokens or an interrupt hint", "✳ Simplifying… (see tokens in docs)"],
    ["a spinner-like line that is the person's own prompt", "❯ ✳ Enchanting… (ctrl+c to interrupt · 3m 17s)"],
    ["a spinner-like line in the answer, above the answer's last line", "✳ Enchanting… (ctrl+c to interrupt · 3m 17s)\n● And that is the whole answer."],
  ])("%s above the input box is not a running turn", (_what, status) => {
    expect(readScreen(withStatus(status)).kind).toBe("idle");
  });

  it("a running spinner line left far up in the scrollback, blank rows away from the box, is not this turn", () => {
    expect(readScreen(idle.replace(DONE, "✳ Enchanting… (ctrl+c to interrupt · 3m 17s · ↓ 3.1k tokens)")).kind).toBe("idle");
  });
});
