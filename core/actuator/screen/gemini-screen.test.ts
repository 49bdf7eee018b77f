// Gemini CLI's screen reader on the real Gemini CLI 0.61.0 screens (test-support/fixtures/gemini-real) and on hostile variants.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { decide } from "../policy/decide";
import { loadShellParser } from "../policy/shell-parser";
import { chooseAnswer } from "./answer";
import { readGeminiScreen } from "./gemini-screen";
import type { ScreenReading } from "./types";

const SCREENS = join(FIXTURES, "gemini-real", "screens");
const screen = (name: string) => readFileSync(join(SCREENS, `${name}.txt`), "utf8");
const DIALOG = screen("shell-dialog");
const OPTIONS = [
  { label: "Allow once", number: 1, highlighted: true, meaning: "allow-once" },
  { label: "Allow for this session", number: 2, highlighted: false, meaning: "allow-always" },
  { label: "No, suggest changes (esc)", number: 3, highlighted: false, meaning: "deny" },
];

/** The screen with `from` replaced by `to` inside one box row, the row kept at its width (padding taken or given back). */
function edit(text: string, from: string, to: string): string {
  const rows = text.split("\n");
  const index = rows.findIndex((r) => r.includes(from) && /│$/.test(r));
  if (index < 0) throw new Error(`no box row holds ${from}`);
  const row = rows[index] as string;
  const match = /^(.*?)( *)(│(?: │)?)$/.exec(row.replace(from, to)) as RegExpExecArray;
  const pad = (match[2] as string).length + row.length - row.replace(from, to).length;
  if (pad < 1) throw new Error("the edit does not fit in the row");
  rows[index] = `${match[1]}${" ".repeat(pad)}${match[3]}`;
  return rows.join("\n");
}

const judged = (reading: ScreenReading) => {
  if (reading.kind !== "permission") throw new Error(`not a permission prompt: ${JSON.stringify(reading)}`);
  const answer = chooseAnswer(reading.options, "allow-once");
  if (answer === undefined) throw new Error("no single-use yes");
  return decide(reading, answer, { projectDir: "/tmp/otto-real-gemini-XXXXXX/repo", mode: "manual", autoAllowlist: [] });
};

beforeAll(async () => {
  await loadShellParser();
});

describe("readGeminiScreen on real Gemini CLI screens", () => {
  it("reads the Shell dialog: the whole command, the question, three labelled options with Allow once highlighted", () => {
    expect(readGeminiScreen(DIALOG)).toEqual({
      kind: "permission",
      tool: "bash",
      title: "Shell",
      subject: "touch made-by-gemini.txt",
      description: null,
      question: "Allow execution of [Shell]?",
      options: OPTIONS,
    });
  });

  it.each([
    ["hosted-shell-dialog", "touch made.txt"],
    ["hosted-dialog-rm-rf", "rm -rf build"],
    ["dialog-after-hook-allow", "touch hook-says-allow.txt"],
  ])("reads %s as the whole command %s", (name, subject) => {
    const reading = readGeminiScreen(screen(name));
    expect(reading).toMatchObject({ kind: "permission", tool: "bash", subject, options: OPTIONS });
    expect(reading).not.toHaveProperty("incomplete");
  });

  it("answers Allow once with its digit, never Allow for this session", () => {
    const reading = readGeminiScreen(DIALOG);
    if (reading.kind !== "permission") throw new Error("not a prompt");
    expect(chooseAnswer(reading.options, "allow-once")).toEqual({ option: OPTIONS[0], keys: { kind: "digit", key: "1" } });
    expect(judged(reading)).toMatchObject({ allowed: true });
    expect(judged(readGeminiScreen(screen("hosted-dialog-rm-rf")))).toMatchObject({ allowed: false, refusal: "blocked" });
  });

  it.each(["hosted-dialog-wrapped", "hosted-dialog-multi-line"])("%s: a command taking several rows of the box is incomplete and unjudgeable", (name) => {
    const reading = readGeminiScreen(screen(name));
    expect(reading).toMatchObject({ kind: "permission", incomplete: expect.stringContaining("rows of the dialog") as unknown });
    expect(judged(reading)).toMatchObject({ allowed: false, refusal: "unjudgeable" });
  });

  it("keeps every row of a multi-line command as it is drawn (it is still never answered)", () => {
    expect(readGeminiScreen(screen("hosted-dialog-multi-line"))).toMatchObject({ subject: "echo one > multi.txt\necho two >> multi.txt\n  echo three >> multi.txt" });
  });

  it.each(["busy", "busy-running-hooks", "hosted-busy"])("%s is busy", (name) => {
    expect(readGeminiScreen(screen(name)).kind).toBe("busy");
  });

  it.each(["idle-start", "idle-after-text-turn", "after-allow-once", "after-escape", "hosted-idle", "hosted-after-allow-once"])("%s is idle", (name) => {
    expect(readGeminiScreen(screen(name)).kind).toBe("idle");
  });

  it("the goodbye screen after /quit is unrecognised", () => {
    expect(readGeminiScreen(screen("after-quit")).kind).toBe("unrecognised");
  });

  it("every recorded screen is one of the kinds above, and only the dialogs are prompts", () => {
    for (const file of readdirSync(SCREENS)) {
      const kind = readGeminiScreen(readFileSync(join(SCREENS, file), "utf8")).kind;
      expect([file, kind]).toEqual([file, /dialog/.test(file) ? "permission" : expect.stringMatching(/^(busy|idle|unrecognised)$/)]);
    }
  });
});

describe("readGeminiScreen fails closed", () => {
  it("a dialog drawn in the history above the idle input box is not a prompt", () => {
    const rows = DIALOG.split("\n");
    const box = rows.slice(rows.findIndex((r) => r.startsWith("╭")), rows.findIndex((r) => r.startsWith("╰")) + 1);
    const idle = screen("idle-start").split("\n");
    const at = idle.findIndex((r) => r.includes("? for shortcuts"));
    idle.splice(at, 0, ...box);
    expect(readGeminiScreen(idle.join("\n")).kind).toBe("idle");
  });

  it("a box with anything but blank rows below it is not a prompt", () => {
    expect(readGeminiScreen(`${DIALOG.trimEnd()}\n\n ok`).kind).toBe("unrecognised");
    expect(readGeminiScreen(`${DIALOG.trimEnd()}\n\n\n\n`).kind).toBe("permission");
  });

  it.each([
    ["two highlighted options", (s: string) => edit(s, "  2. Allow for this session", "● 2. Allow for this session")],
    ["no highlighted option", (s: string) => edit(s, "● 1. Allow once", "  1. Allow once")],
    ["options renumbered", (s: string) => edit(edit(s, "2. Allow for", "3. Allow for"), "3. No,", "2. No,")],
    ["options starting at 2", (s: string) => edit(edit(edit(s, "1. Allow once", "2. Allow once"), "2. Allow for", "3. Allow for"), "3. No,", "4. No,")],
    ["a row among the options that is not one", (s: string) => edit(s, "  2. Allow for this session", "  Allow for this session")],
    ["an unknown row between the question and the options", (s: string) => s.replace(/(│ Allow execution of \[Shell\]\? +│\n)(│ +│)/, (_m, q: string, blank: string) => `${q}${blank.replace(/^│ {12}/, "│ run it now!")}\n${blank}`)],
    ["a row of the box one column short", (s: string) => s.replace(/^│ \? Shell(.*) │$/m, "│ ? Shell$1│")],
    ["the title that is not `? Shell  <command>`", (s: string) => edit(s, "? Shell  touch", "? Bash   touch")],
    ["the inner box without its bottom border", (s: string) => s.replace(/^│ ╰(─+)╯ │$/m, (_m, line: string) => `│ │${" ".repeat(line.length)}│ │`)],
  ])("%s: unrecognised", (_what, change) => {
    expect(readGeminiScreen(change(DIALOG)).kind).toBe("unrecognised");
  });

  it("a dialog whose top is above the screen is not read", () => {
    const rows = DIALOG.split("\n");
    expect(readGeminiScreen(rows.slice(rows.findIndex((r) => r.includes("╭─") && r.startsWith("│"))).join("\n")).kind).toBe("unrecognised");
  });

  it.each([
    ["the title's command differs from the box's", (s: string) => edit(s, "? Shell  touch made-by-gemini.txt", "? Shell  touch made-by-gemini.md")],
    ["the box's command differs from the title's", (s: string) => edit(s, "│ touch made-by-gemini.txt", "│ touch made-by-gemini.txt; rm -rf ~")],
    ["the command is cut short with …", (s: string) => edit(edit(s, "? Shell  touch made-by-gemini.txt", "? Shell  touch made-by-…"), "│ touch made-by-gemini.txt", "│ touch made-by-…")],
    ["an invisible character in the command", (s: string) => edit(edit(s, "? Shell  touch made-by-gemini.txt", "? Shell  touch\u200b made-by-gemini.txt"), "│ touch made-by-gemini.txt", "│ touch\u200b made-by-gemini.txt")],
    ["a bidi control in the command", (s: string) => edit(edit(s, "? Shell  touch made-by-gemini.txt", "? Shell  touch made-by-\u202egemini.txt"), "│ touch made-by-gemini.txt", "│ touch made-by-\u202egemini.txt")],
    ["hidden lines", (s: string) => edit(edit(s, "? Shell  touch made-by-gemini.txt", "? Shell  ... first 3 lines hidden (ctrl+o to show) ..."), "│ touch made-by-gemini.txt", "│ ... first 3 lines hidden (ctrl+o to show) ...")],
  ])("%s: incomplete, and the policy refuses it as unjudgeable", (_what, change) => {
    const reading = readGeminiScreen(change(DIALOG));
    expect(reading).toMatchObject({ kind: "permission", incomplete: expect.any(String) as unknown });
    expect(judged(reading)).toMatchObject({ allowed: false, refusal: "unjudgeable" });
  });

  it("a dialog that is not the Shell's (Apply this change?, an MCP tool) is another dialog, never a permission", () => {
    const apply = edit(DIALOG, "Allow execution of [Shell]?", "Apply this change?");
    expect(readGeminiScreen(apply)).toMatchObject({ kind: "other-dialog", question: "Apply this change?", options: OPTIONS });
    const mcp = edit(DIALOG, "Allow execution of [Shell]?", 'Allow execution of MCP tool "rm" from server "x"?');
    expect(readGeminiScreen(mcp).kind).toBe("other-dialog");
  });
});
