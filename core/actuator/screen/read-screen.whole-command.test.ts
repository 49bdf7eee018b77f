// The reader returns the whole command or marks the prompt incomplete: never a permission prompt with part of a command.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { readScreen } from "./read-screen";

const REAL = join(FIXTURES, "claude-code-real");
const screen = (path: string) => readFileSync(join(REAL, path), "utf8");
const RM_RF = screen("screens/permission-bash-rm-rf.txt");
const withCommand = (rows: string) => RM_RF.replace(/^ rm -rf build$/m, rows);
const DASHES = "╌".repeat(120);

describe("readScreen reads the whole command (2.1.330 layout)", () => {
  it("a dashed line at the frame's column inside the command does not end it: the prompt is incomplete", () => {
    const reading = readScreen(withCommand(` npm test\n${DASHES}\n rm -rf ../victim`));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.any(String));
  });

  it("a dashed line drawn inside the command (indented) does not end it: the prompt is incomplete", () => {
    const reading = readScreen(withCommand(` npm test\n ${"╌".repeat(60)}\n rm -rf ../victim`));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.any(String));
  });

  it("a multi-line command is returned without its gutter, every line", () => {
    const reading = readScreen(withCommand(" │ npm test # run the tests\n │ rm -rf ../victim"));
    expect(reading).toMatchObject({ kind: "permission", subject: "npm test # run the tests\nrm -rf ../victim" });
    expect(reading).not.toHaveProperty("incomplete");
  });

  it("indentation inside a multi-line command is kept", () => {
    const reading = readScreen(withCommand(" │ for f in a b; do\n │   rm -rf \"$f\"\n │ done"));
    expect(reading).toMatchObject({ kind: "permission", subject: 'for f in a b; do\n  rm -rf "$f"\ndone' });
  });

  it.each([
    ["cut short with …", " rm -rf build/and/some/more…"],
    ["with hidden lines", " │ npm test\n │ … +12 lines (ctrl+o to expand)"],
    ["that may have been wrapped", ` │ npm test -- ${"x".repeat(100)}\n │ ../victim`],
    ["whose next word would not have fit on the line above", ` │ npm test && rm -rf\n │ /${"d".repeat(110)}`],
    ["with the gutter on some lines only", " │ npm test\n rm -rf ../victim"],
    ["drawn with the gutter on its only line", " │ npm test"],
  ])("a command %s is incomplete", (_what, rows) => {
    const reading = readScreen(withCommand(rows));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.any(String));
  });

  it("a dialog that scrolls (`↑ N more lines` above the footer) is incomplete", () => {
    const reading = readScreen(RM_RF.replace(/^ Esc to cancel/m, " ↑ 3 more lines\n Esc to cancel"));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.stringContaining("scrolls"));
  });

  it("a dialog whose top is above the screen is incomplete, whatever its visible rows say", () => {
    const rows = RM_RF.split("\n");
    const below = rows.slice(rows.findIndex((r) => r === " rm -rf build"));
    const reading = readScreen(below.join("\n"));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.stringContaining("above the screen"));
  });
});

describe("readScreen reads the whole command (2.0.x layout: no frame)", () => {
  const MULTI = screen("older/2.0.77/permission-bash-multi-line.txt");

  it("without the tool call above, the command cannot be told from its description: incomplete", () => {
    const reading = readScreen(MULTI.replace(/^● Bash\(npm test # run the tests\n {6}rm -rf \.\.\/victim\)$/m, "● Bash(…)"));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.stringContaining("description"));
  });

  it("a command without a description is read whole (its last line is not taken for a description)", () => {
    const reading = readScreen(MULTI.replace(/^ {3}Run the tests$/m, ""));
    expect(reading).toMatchObject({ kind: "permission", subject: "npm test # run the tests\nrm -rf ../victim", description: null });
    expect(reading).not.toHaveProperty("incomplete");
  });

  it("a tool call above showing another command makes it incomplete, never a shorter subject", () => {
    const reading = readScreen(MULTI.replace("● Bash(npm test # run the tests\n      rm -rf ../victim)", "● Bash(npm test # run the tests)\n"));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.any(String));
  });
});

describe("readScreen never answers a frame forged inside a command", () => {
  it("a full-width rule and a title inside the command are text, not the dialog's frame", () => {
    const reading = readScreen(withCommand(` rm -rf ~\n ${"─".repeat(118)}\n Bash command\n npm test`));
    if (reading.kind === "permission") expect(reading).toHaveProperty("incomplete", expect.any(String));
    expect(reading).not.toMatchObject({ kind: "permission", subject: "npm test" });
  });
});
