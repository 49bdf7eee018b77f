// Answers are chosen by label: the single-use Yes wherever it stands, arrows where there are no numbers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { chooseAnswer, isHighlighted } from "./answer";
import { readScreen } from "./read-screen";
import type { PromptOption } from "./types";

function optionsOf(path: string): PromptOption[] {
  const reading = readScreen(readFileSync(join(FIXTURES, "claude-code-real", path), "utf8"));
  if (reading.kind !== "permission") throw new Error(`${path} is not a permission prompt`);
  return reading.options;
}

describe("chooseAnswer", () => {
  it("answers the numbered Bash dialog's single-use Yes with its digit, never 'always allow' or 'auto mode'", () => {
    const chosen = chooseAnswer(optionsOf("screens/permission-bash-rm-rf.txt"), "allow-once");
    expect(chosen?.option.label).toBe("Yes");
    expect(chosen?.keys).toEqual({ kind: "digit", key: "1" });
    expect(chooseAnswer(optionsOf("screens/permission-bash-rm-rf.txt"), "deny")?.keys).toEqual({ kind: "digit", key: "4" });
  });

  it("where No comes first and highlighted without numbers, Yes is one Down then Enter after checking the highlight", () => {
    const options = optionsOf("startup-and-auto-mode/06-auto-mode-fallback-permission-npm-test.txt");
    const chosen = chooseAnswer(options, "allow-once");
    expect(chosen?.keys).toEqual({ kind: "navigate", moves: ["down"], label: "Yes" });
    expect(isHighlighted(options, "Yes")).toBe(false);
    expect(isHighlighted(options, "No")).toBe(true);
    expect(chooseAnswer(options, "deny")?.keys).toEqual({ kind: "navigate", moves: [], label: "No" });
  });

  it("refuses an ambiguous dialog (two single-use yeses) and one without the wanted answer", () => {
    const yes = (label: string, n: number): PromptOption => ({ label, number: n, highlighted: n === 1, meaning: "allow-once" });
    expect(chooseAnswer([yes("Yes", 1), yes("Yes", 2)], "allow-once")).toBeUndefined();
    expect(chooseAnswer([{ label: "No", number: 1, highlighted: true, meaning: "deny" }, { label: "Maybe", number: 2, highlighted: false, meaning: "other" }], "allow-once")).toBeUndefined();
  });
});
