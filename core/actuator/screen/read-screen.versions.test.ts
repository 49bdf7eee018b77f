// The screen reader on recorded screens of older Claude Code minors (2.0.77, 1.0.128) and the pinned 2.1.330's command dialogs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { readScreen } from "./read-screen";

const REAL = join(FIXTURES, "claude-code-real");
const screen = (path: string) => readFileSync(join(REAL, path), "utf8");
const VERSIONS = ["older/2.0.77", "older/1.0.128", "recorded-2.1.330"] as const;

describe.each(VERSIONS)("readScreen on Claude Code %s", (dir) => {
  it("reads the one-line Bash dialog for touch made.txt with its command and description", () => {
    const reading = readScreen(screen(`${dir}/permission-bash-one-line.txt`));
    expect(reading).toMatchObject({ kind: "permission", tool: "bash", title: "Bash command", subject: "touch made.txt", description: "Create made.txt", question: "Do you want to proceed?" });
    expect(reading).not.toHaveProperty("incomplete");
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options[0]).toMatchObject({ label: "Yes", number: 1, highlighted: true, meaning: "allow-once" });
  });

  it("reads every line of a multi-line command (a comment line does not end it)", () => {
    const reading = readScreen(screen(`${dir}/permission-bash-multi-line.txt`));
    expect(reading).toMatchObject({ kind: "permission", tool: "bash", subject: "npm test # run the tests\nrm -rf ../victim", description: "Run the tests" });
    expect(reading).not.toHaveProperty("incomplete");
  });

  it("marks a command too long for one line incomplete (the screen wrapped it)", () => {
    const reading = readScreen(screen(`${dir}/permission-bash-long.txt`));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.any(String));
  });

  it("marks a dialog taller than the screen incomplete", () => {
    const reading = readScreen(screen(`${dir}/permission-bash-tall.txt`));
    expect(reading.kind).toBe("permission");
    expect(reading).toHaveProperty("incomplete", expect.stringContaining("above the screen"));
  });

  it.each([
    ["permission-write.txt", "create-file", "notes.txt"],
    ["permission-edit.txt", "edit-file", "README.md"],
  ])("reads the file dialog %s", (file, tool, subject) => {
    const reading = readScreen(screen(`${dir}/${file}`));
    expect(reading).toMatchObject({ kind: "permission", tool, subject });
    expect(reading).not.toHaveProperty("incomplete");
  });

  it.each(["busy.txt", "busy-later.txt"])("a running turn (%s) is busy", (file) => {
    expect(readScreen(screen(`${dir}/${file}`)).kind).toBe("busy");
  });

  it.each(["idle-fresh-start.txt", "idle-after-turns.txt"])("the input box (%s) is idle", (file) => {
    expect(readScreen(screen(`${dir}/${file}`)).kind).toBe("idle");
  });
});

describe("readScreen on the older minors' own wording", () => {
  it("2.0.77's Bash dialog has no No: its third option is a text box, never taken as an answer", () => {
    const reading = readScreen(screen("older/2.0.77/permission-bash-one-line.txt"));
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options.map((o) => o.meaning)).toEqual(["allow-once", "allow-always", "other"]);
  });

  it("1.0.128's boxed dialog keeps its options and their meanings", () => {
    const reading = readScreen(screen("older/1.0.128/permission-bash-one-line.txt"));
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options.map((o) => [o.number, o.meaning])).toEqual([
      [1, "allow-once"],
      [2, "allow-always"],
      [3, "deny"],
    ]);
  });

  it.each(["older/2.0.77/idle-after-escape.txt", "older/1.0.128/idle-after-escape.txt", "recorded-2.1.330/idle-after-escape-prompt-restored.txt"])(
    "the input box after Esc on a running turn (%s) is idle",
    (path) => {
      expect(readScreen(screen(path)).kind).toBe("idle");
    },
  );
});
