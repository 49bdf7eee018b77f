// The screen reader on the real Claude Code 2.1.330 screens (test-support/fixtures/claude-code-real) and on hostile variants.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { readScreen } from "./read-screen";

const REAL = join(FIXTURES, "claude-code-real");
const screen = (path: string) => readFileSync(join(REAL, path), "utf8");

describe("readScreen on real Claude Code screens", () => {
  it("reads the Bash dialog: command, description, four labelled options with Yes highlighted", () => {
    const reading = readScreen(screen("screens/permission-bash-rm-rf.txt"));
    expect(reading).toEqual({
      kind: "permission",
      tool: "bash",
      title: "Bash command",
      subject: "rm -rf build",
      description: "Remove the build directory",
      question: "Do you want to proceed?",
      options: [
        { label: "Yes", number: 1, highlighted: true, meaning: "allow-once" },
        { label: "Yes, and always allow access to /Users/dev/src/app/build from this project", number: 2, highlighted: false, meaning: "allow-always" },
        { label: "Yes, and switch to auto mode · auto mode handles these prompts for you", number: 3, highlighted: false, meaning: "switch-mode" },
        { label: "No", number: 4, highlighted: false, meaning: "deny" },
      ],
    });
  });

  it("reads the npm test dialog with its extra 'requires approval' line and the don't-ask-again option", () => {
    const reading = readScreen(screen("screens/permission-bash-npm-test.txt"));
    expect(reading).toMatchObject({ kind: "permission", tool: "bash", subject: "npm test", description: "Run the test suite" });
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options.map((o) => o.meaning)).toEqual(["allow-once", "allow-always", "switch-mode", "deny"]);
  });

  it.each([
    ["screens/permission-write.txt", "create-file", "notes.txt", "Do you want to create notes.txt?"],
    ["screens/permission-edit.txt", "edit-file", "README.md", "Do you want to make this edit to README.md?"],
  ])("reads the file dialog %s", (path, tool, subject, question) => {
    const reading = readScreen(screen(path));
    expect(reading).toMatchObject({ kind: "permission", tool, subject, question });
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options.map((o) => [o.number, o.meaning])).toEqual([
      [1, "allow-once"],
      [2, "switch-mode"],
      [3, "deny"],
    ]);
  });

  it("reads auto mode's fallback dialog, where No comes first, highlighted and unnumbered", () => {
    const reading = readScreen(screen("startup-and-auto-mode/06-auto-mode-fallback-permission-npm-test.txt"));
    expect(reading).toMatchObject({ kind: "permission", tool: "bash", subject: "npm test" });
    if (reading.kind !== "permission") throw new Error("not a permission prompt");
    expect(reading.options).toEqual([
      { label: "No", number: null, highlighted: true, meaning: "deny" },
      { label: "Yes", number: null, highlighted: false, meaning: "allow-once" },
    ]);
  });

  it("the permission-hook recordings' dialogs read the same", () => {
    for (const dir of readdirSync(join(REAL, "permission-hook"))) {
      let text: string;
      try {
        text = screen(`permission-hook/${dir}/dialog.txt`);
      } catch {
        continue;
      }
      expect(readScreen(text)).toMatchObject({ kind: "permission", tool: "bash" });
    }
  });

  it.each(["01-trust-folder-dialog.txt", "01b-trust-folder-dialog-yes-selected.txt", "02-custom-api-key-dialog.txt"])(
    "start-up dialog %s is another dialog, never a permission prompt",
    (file) => {
      expect(readScreen(screen(`startup-and-auto-mode/${file}`)).kind).toBe("other-dialog");
    },
  );

  it.each(["busy-1.txt", "busy-2.txt", "busy-before-escape.txt"])("a running turn (%s) is busy", (file) => {
    expect(readScreen(screen(`screens/${file}`)).kind).toBe("busy");
  });

  it.each(["idle-after-text-turn.txt", "idle-after-75s.txt", "idle-final.txt", "after-escape-interrupt.txt", "after-edit-rejected-escape.txt"])(
    "the input box (%s) is idle",
    (file) => {
      expect(readScreen(screen(`screens/${file}`)).kind).toBe("idle");
    },
  );

  it.each([
    ["screens/after-exit.txt"],
    ["startup-and-auto-mode/05-auto-mode-cant-check-dialog.txt"],
    ["startup-and-auto-mode/08-make-auto-mode-default-offer.txt"],
  ])("%s is not something it may answer", (path) => {
    expect(["unrecognised", "other-dialog", "idle"]).toContain(readScreen(screen(path)).kind);
    expect(readScreen(screen(path)).kind).not.toBe("permission");
  });
});

describe("readScreen fails closed", () => {
  const dialog = screen("screens/permission-bash-rm-rf.txt");

  it("two highlighted options, or none, are unrecognised", () => {
    expect(readScreen(dialog.replace("   4. No", " ❯ 4. No")).kind).toBe("unrecognised");
    expect(readScreen(dialog.replace(" ❯ 1. Yes", "   1. Yes")).kind).toBe("unrecognised");
  });

  it("options numbered out of order are unrecognised", () => {
    expect(readScreen(dialog.replace("   4. No", "   5. No")).kind).toBe("unrecognised");
  });

  it("a command dialog without its command is not a permission prompt", () => {
    expect(readScreen(dialog.replace(/^ rm -rf build$/m, "")).kind).not.toBe("permission");
  });

  it("a file dialog whose question names another file than its header is not a permission prompt", () => {
    const edit = screen("screens/permission-edit.txt").replace("make this edit to README.md?", "make this edit to other.md?");
    expect(readScreen(edit).kind).not.toBe("permission");
  });

  it("an empty screen or plain text is unrecognised", () => {
    expect(readScreen("").kind).toBe("unrecognised");
    expect(readScreen("$ ls\nfoo bar\n").kind).toBe("unrecognised");
  });
});
