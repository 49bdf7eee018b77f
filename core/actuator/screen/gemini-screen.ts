// Reads a Gemini CLI 0.61.0 screen: its Shell permission dialog (by the structure of its boxes), another dialog, a busy turn, the idle input box, or unrecognised.
import { firstHiddenCharacter } from "../policy/hidden-characters";
import { optionMeaning } from "./option-meaning";
import type { PromptOption, ScreenReading } from "./types";

const QUESTION = "Allow execution of [Shell]?";
// The title row: `? Shell  <command>` (the command when it is at most 150 characters, else the model's description).
const TITLE = /^\? Shell {2}(\S.*)$/;
// Rows Gemini CLI may put between the question and the blank row above the options.
const NOTES: readonly RegExp[] = [/^Redirection detected\. To auto-accept, press \S.*$/];
// `● 1. Allow once` (highlighted) or `  2. Allow for this session`.
const OPTION = /^(● | {2})(\d+)\. (\S.*)$/;
// What MaxSizedBox puts in place of the lines it hides.
const HIDDEN_LINES = /^\.\.\. .*\bhidden\b/;
// The spinner line of a running turn: `⠙ Thinking… (esc to cancel, 3s)`; while hooks run, `⠙ Executing Hooks: …`.
const BUSY = /\(esc to cancel, \d+[smh][^()]*\)\s*$/;
const SPINNER = /^[⠁-⣿]\s/u;
// How far above the input box's rule the spinner line may be (a `? for shortcuts` row can come between).
const LOOK_ABOVE = 4;
// How many rows the input box, its hints and its footer take at most (a typed prompt may take a few rows).
const INPUT_AREA = 14;

/** The rows inside a box, without its side borders; `clipped` when its top is above the screen. */
interface Box {
  rows: string[];
  clipped: boolean;
}

/** Reads a Gemini CLI screen (plain text, one row per line, as a person sees it). Anything unclear is `unrecognised`. */
export function readGeminiScreen(screen: string): ScreenReading {
  const rows = screen.split(/\r?\n/).map((r) => r.replace(/\s+$/, ""));
  let last = rows.length - 1;
  while (last >= 0 && rows[last] === "") last--;
  if (last < 0) return { kind: "unrecognised", reason: "the screen is empty" };
  // The dialog replaces the input box: a box that ends the screen. Anything below it means it is not the dialog.
  if (/^\s*╰─+╯$/.test(rows[last] as string)) {
    const box = boxEndingAt(rows, last);
    if (box === undefined) return { kind: "unrecognised", reason: "the box at the bottom of the screen is not drawn the way Gemini CLI draws its dialogs" };
    if (box.clipped) return { kind: "unrecognised", reason: "the top of the dialog is above the screen, so it cannot be read whole" };
    return readDialog(box.rows);
  }
  return readInputArea(rows, last);
}

// The box whose bottom border is row `bottom`: every row up to its top border has both side borders at its columns.
function boxEndingAt(rows: string[], bottom: number): Box | undefined {
  const last = rows[bottom] as string;
  const column = last.length - last.trimStart().length;
  const width = last.length - column;
  const inner: string[] = [];
  for (let top = bottom - 1; top >= 0; top--) {
    const row = rows[top] as string;
    if (row.slice(0, column).trim() !== "") return undefined;
    const body = row.slice(column);
    if (body.length === width && /^╭─+╮$/.test(body)) return { rows: inner, clipped: false };
    if (body.length !== width || !body.startsWith("│") || !body.endsWith("│")) return undefined;
    inner.unshift(body.slice(1, -1));
  }
  return { rows: inner, clipped: true };
}

// A box's inside without its one-column padding on each side (Gemini CLI's boxes have paddingX 1); undefined if unpadded.
function unpad(rows: readonly string[]): string[] | undefined {
  if (!rows.every((r) => r.startsWith(" ") && r.endsWith(" "))) return undefined;
  return rows.map((r) => r.slice(1, -1).replace(/\s+$/, ""));
}

function readDialog(inside: readonly string[]): ScreenReading {
  const rows = unpad(inside);
  if (rows === undefined) return { kind: "unrecognised", reason: "a box at the bottom of the screen without Gemini CLI's padding" };
  // The options: numbered rows at the end of the box, after a blank row.
  let blank = rows.length - 1;
  while (blank >= 0 && rows[blank] !== "") blank--;
  if (blank < 1) return { kind: "unrecognised", reason: "a box at the bottom of the screen without a question above its options" };
  const options = readOptions(rows.slice(blank + 1));
  if (typeof options === "string") return { kind: "unrecognised", reason: options };
  const questionIndex = rows.findIndex((r) => r === QUESTION);
  if (questionIndex < 0) {
    const question = rows[blank - 1] as string;
    return question === "" ? { kind: "unrecognised", reason: "a dialog whose question could not be found above its options" } : { kind: "other-dialog", question, options };
  }
  const notes = rows.slice(questionIndex + 1, blank);
  if (!notes.every((n) => NOTES.some((p) => p.test(n)))) return { kind: "unrecognised", reason: "the Shell dialog has rows between its question and its options that Otto Tray does not know" };
  const shell = readShellBody(rows.slice(0, questionIndex));
  if (typeof shell === "string") return { kind: "unrecognised", reason: shell };
  return { kind: "permission", tool: "bash", title: "Shell", subject: shell.subject, description: null, question: QUESTION, options, ...(shell.incomplete === undefined ? {} : { incomplete: shell.incomplete }) };
}

// `● 1. Allow once` / `  2. Allow for this session` / …: numbered 1, 2, 3… with exactly one highlighted.
function readOptions(rows: readonly string[]): PromptOption[] | string {
  const options: PromptOption[] = [];
  for (const row of rows) {
    const match = OPTION.exec(row);
    if (match === null) return "a dialog row among the options that is not an option";
    const label = (match[3] as string).trim();
    options.push({ label, number: Number(match[2]), highlighted: match[1] === "● ", meaning: optionMeaning(label) });
  }
  if (options.length < 2) return "a dialog with fewer than two options";
  const highlighted = options.filter((o) => o.highlighted).length;
  if (highlighted !== 1) return `a dialog with ${highlighted} highlighted options`;
  if (options.some((o, i) => o.number !== i + 1)) return "a dialog whose options are not numbered 1, 2, 3…";
  return options;
}

/**
 * The rows above the question: the title (`? Shell  <command>`, continued on rows indented under the command when it
 * has several lines), then the inner box holding the command. The command is the inner box's text; it is whole only
 * when it takes one row and the title shows the same text.
 */
function readShellBody(rows: readonly string[]): { subject: string; incomplete?: string } | string {
  const title = TITLE.exec(rows[0] ?? "");
  if (title === null) return "the Shell dialog's first row is not `? Shell  <command>`";
  const innerTop = rows.findIndex((r) => /^╭─+╮$/.test(r));
  const width = rows[innerTop]?.length ?? 0;
  const bottom = rows.length - 1;
  if (innerTop < 1 || bottom < innerTop + 2 || rows[bottom] !== `╰${"─".repeat(width - 2)}╯`) return "the Shell dialog's command box could not be found under its title";
  const titleRows = [title[1] as string, ...rows.slice(1, innerTop).map((r) => r.trim())];
  const box = rows.slice(innerTop + 1, bottom);
  if (!box.every((r) => r.length === width && r.startsWith("│") && r.endsWith("│"))) return "the Shell dialog's command box is not drawn whole";
  const commandRows = unpad(box.map((r) => r.slice(1, -1)));
  if (commandRows === undefined) return "the Shell dialog's command box has no padding";
  const subject = commandRows.join("\n");
  const doubt = doubtAboutCommand(commandRows, titleRows);
  return doubt === undefined ? { subject } : { subject, incomplete: doubt };
}

/** Why the command in the box may not be the whole command that would run, or undefined when it certainly is. */
function doubtAboutCommand(commandRows: readonly string[], titleRows: readonly string[]): string | undefined {
  if (commandRows.length !== 1) {
    return `the command takes ${commandRows.length} rows of the dialog: Gemini CLI draws a long line it wrapped and a command of several lines alike, so it cannot be read whole`;
  }
  const command = commandRows[0] as string;
  if (command.trim() === "") return "the dialog's command box is empty";
  if (HIDDEN_LINES.test(command)) return "the dialog hides some lines of the command";
  if (/…$/.test(command)) return "the command is cut short with …";
  if (titleRows.length !== 1 || titleRows[0] !== command) return "the command in the dialog's title and the one in its box differ";
  const hidden = firstHiddenCharacter(command);
  if (hidden !== undefined) return `the command holds an invisible or control character (${hidden})`;
  return undefined;
}

// Not a dialog: the input box (a rule, ` > ` and what is typed, then the footer), with a spinner line above it when busy.
function readInputArea(rows: readonly string[], last: number): ScreenReading {
  let rule = last;
  while (rule >= 0 && rule > last - INPUT_AREA && !/^─{20,}$/.test(rows[rule] as string)) rule--;
  const input = rows.slice(rule + 1, last + 1);
  const hasPrompt = input.some((r) => /^ > /.test(r));
  const hasFooter = input.some((r) => /^ workspace \(/.test(r));
  if (rule < 0 || rule <= last - INPUT_AREA || !hasPrompt || !hasFooter) return { kind: "unrecognised", reason: "neither Gemini CLI's dialog nor its input box at the bottom of the screen" };
  for (let i = rule - 1; i >= 0 && i >= rule - LOOK_ABOVE; i--) {
    const text = (rows[i] as string).trim();
    if (BUSY.test(text) || SPINNER.test(text)) return { kind: "busy", reason: "a turn is running (its spinner is above the input box)" };
  }
  return { kind: "idle", reason: "the input box is waiting for the person" };
}
