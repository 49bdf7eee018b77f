// Each agent's screen is read by its own reader only: another agent's dialog drawn inside it is not a prompt.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { screenReaderFor } from "./reader-for-agent";

const GEMINI_DIALOG = readFileSync(join(FIXTURES, "gemini-real", "screens", "shell-dialog.txt"), "utf8");
const CLAUDE_DIALOG = readFileSync(join(FIXTURES, "claude-code-real", "screens", "permission-bash-rm-rf.txt"), "utf8");

describe("screenReaderFor", () => {
  it("Claude Code's reader reads Claude Code's dialog, not Gemini CLI's", () => {
    const reader = screenReaderFor("claude-code");
    expect(reader.read(CLAUDE_DIALOG)).toMatchObject({ kind: "permission", subject: "rm -rf build" });
    expect(reader.read(GEMINI_DIALOG).kind).toBe("unrecognised");
    expect(reader.readsScreen).toBe(true);
  });

  it("Gemini CLI's reader reads Gemini CLI's dialog, not Claude Code's", () => {
    const reader = screenReaderFor("gemini");
    expect(reader.read(GEMINI_DIALOG)).toMatchObject({ kind: "permission", subject: "touch made-by-gemini.txt" });
    expect(reader.read(CLAUDE_DIALOG).kind).toBe("unrecognised");
    expect(reader.readsScreen).toBe(true);
  });

  it("Codex's screen is never read: its hook answers its dialog", () => {
    const reader = screenReaderFor("codex");
    for (const screen of [GEMINI_DIALOG, CLAUDE_DIALOG]) expect(reader.read(screen)).toEqual({ kind: "unrecognised", reason: "Codex's dialog is answered through its PermissionRequest hook, not read from the screen" });
    expect(reader.readsScreen).toBe(false);
  });
});
