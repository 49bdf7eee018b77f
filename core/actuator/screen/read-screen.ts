// The one module that decides what a Claude Code screen shows: a permission prompt (question, subject, labelled
// options), another dialog, a busy turn, the idle input box, or something it does not recognise (never answerable).
import { readCommand } from "./command-block";
import { optionMeaning } from "./option-meaning";
import { runningSpinnerAbove } from "./running-spinner";
import { isDashedRule, isSolidRule, lastNonBlank, looksLikeRule, openBottomBox, toLines, type Line } from "./screen-lines";
import { toolCallCommandAbove } from "./tool-call-above";
import type { PermissionPrompt, PromptOption, PromptTool, ScreenReading } from "./types";

const HIGHLIGHT = "❯";
// 2.1.x and 1.0.x: "Create file" / "Edit file" with the file on the next row; 2.0.x: the file on the title's row.
const TITLE = /^(Bash command|Create file|Edit file)(?:\s+(\S.*))?$/;
const TOOL_TITLES: Readonly<Record<string, PromptTool>> = { "Bash command": "bash", "Create file": "create-file", "Edit file": "edit-file" };
const PROCEED = "Do you want to proceed?";
const FILE_QUESTION = /^Do you want to (?:create|make this edit to) (.+)\?$/;
// 2.1.330 shows this between the options and the footer when the dialog is taller than its space.
const SCROLL_HINT = /^[↑↓] \d+ more lines?$/;

/** Reads a screen (plain text, one row per line, as a person sees it). Anything unclear is `unrecognised`. */
export function readScreen(screen: string): ScreenReading {
  const lines = toLines(screen);
  const footer = lastNonBlank(lines, lines.length - 1);
  const footerText = lines[footer]?.text;
  if (footerText === undefined) return { kind: "unrecognised", reason: "the screen is empty" };
  // Busy first: a spinner footer means the turn is running, whatever else is on screen.
  if (/\besc to interrupt\b/i.test(footerText)) return { kind: "busy", reason: "a turn is running (esc to interrupt)" };
  if (/\bEsc to cancel\b/.test(footerText)) return readDialog(lines, footer - 1);
  // 1.0.x draws its dialogs in a box at the bottom, with no footer.
  const boxed = openBottomBox(screen);
  if (boxed !== undefined) return readDialog(boxed.lines, boxed.end);
  const boxTop = idleBoxTop(lines, footer);
  if (boxTop === undefined) return { kind: "unrecognised", reason: "neither a dialog, a running turn nor the input box" };
  // An ordinary footer under a running spinner (`✻ Forging… (esc to interrupt)`) is still a running turn.
  if (runningSpinnerAbove(lines, boxTop)) return { kind: "busy", reason: "a turn is running (its spinner is above the input box)" };
  return { kind: "idle", reason: "the input box is waiting for the person" };
}

// The input box: a rule, the `❯` (or 1.0.x's `>`) input line(s), a rule, then the mode footer. Returns its top rule.
function idleBoxTop(lines: Line[], footer: number): number | undefined {
  const bottom = footer - 1;
  if (!isSolidRule(lines[bottom])) return undefined;
  let top = bottom - 1;
  while (top >= 0 && !isSolidRule(lines[top])) top--;
  const input = lines[top + 1]?.text ?? "";
  return top >= 0 && top < bottom - 1 && (input.startsWith(HIGHLIGHT) || /^>(\s|$)/.test(input)) ? top : undefined;
}

function readDialog(lines: Line[], last: number): ScreenReading {
  let end = lastNonBlank(lines, last);
  const scrolled = SCROLL_HINT.test(lines[end]?.text ?? "");
  if (scrolled) end = lastNonBlank(lines, end - 1);
  let start = end;
  while (start > 0 && lines[start - 1]?.text !== "" && !looksLikeRule(lines[start - 1])) start--;
  const block = lines.slice(start, end + 1);
  const marked = block.filter((l) => l.text.startsWith(`${HIGHLIGHT} `) || l.text === HIGHLIGHT);
  if (marked.length !== 1) return { kind: "unrecognised", reason: `a dialog with ${marked.length} highlighted options` };
  const column = marked[0]?.indent ?? 0;
  const firstOption = start + block.findIndex((l) => l.indent > column || l === marked[0]);
  // The question is the nearest text above the options, at the highlight's column (a blank line may separate them).
  const questionIndex = lastNonBlank(lines, firstOption - 1);
  const question = lines[questionIndex];
  if (question === undefined || question.indent !== column || looksLikeRule(question)) {
    return { kind: "unrecognised", reason: "a dialog whose question could not be found above its options" };
  }
  const options = readOptions(lines.slice(firstOption, end + 1), column);
  if (typeof options === "string") return { kind: "unrecognised", reason: options };
  const permission = readPermission(lines, questionIndex, question.text, options);
  if (permission === undefined) return { kind: "other-dialog", question: question.text, options };
  if (scrolled && permission.incomplete === undefined) return { ...permission, incomplete: "the dialog is taller than its space and scrolls" };
  return permission;
}

// Options sit two columns right of the highlight column (`❯ Yes` / `  No`); deeper lines continue the one above.
function readOptions(block: Line[], column: number): PromptOption[] | string {
  const labels: { text: string; highlighted: boolean }[] = [];
  for (const line of block) {
    const highlighted = line.indent === column && line.text.startsWith(HIGHLIGHT);
    if (highlighted || line.indent === column + 2) labels.push({ text: highlighted ? line.text.slice(1).trim() : line.text, highlighted });
    else if (line.indent > column + 2 && labels.length > 0) {
      const previous = labels[labels.length - 1];
      if (previous !== undefined) previous.text = `${previous.text} ${line.text}`;
    } else return "an option line out of place";
  }
  if (labels.length < 2) return "a dialog with fewer than two options";
  const numbered = labels.map((l) => /^(\d+)\.\s+(.+)$/.exec(l.text));
  const allNumbered = numbered.every((m) => m !== null);
  if (!allNumbered && numbered.some((m) => m !== null)) return "a dialog mixing numbered and unnumbered options";
  const options = labels.map((l, i): PromptOption => {
    const match = numbered[i];
    const label = match ? (match[2] ?? "") : l.text;
    return { label, number: match ? Number(match[1]) : null, highlighted: l.highlighted, meaning: optionMeaning(label) };
  });
  if (allNumbered && options.some((o, i) => o.number !== i + 1)) return "a dialog whose options are not numbered 1, 2, 3…";
  return options;
}

// A permission dialog by its structure: a solid rule, a title, the command or file, the question, the options.
function readPermission(lines: Line[], questionIndex: number, question: string, options: PromptOption[]): PermissionPrompt | undefined {
  const file = FILE_QUESTION.exec(question)?.[1];
  if (question !== PROCEED && file === undefined) return undefined;
  let rule = questionIndex - 1;
  while (rule >= 0 && !isSolidRule(lines[rule])) rule--;
  if (rule < 0) return clipped(lines.slice(0, questionIndex), question, file, options);
  const width = (lines[rule] as Line).text.length;
  const body = lines.slice(rule + 1, questionIndex);
  const titleIndex = body.findIndex((l) => l.text !== "");
  const titleMatch = TITLE.exec(body[titleIndex]?.text ?? "");
  const title = titleMatch?.[1] ?? body[titleIndex]?.text ?? "";
  const tool = titleMatch === null ? undefined : TOOL_TITLES[titleMatch[1] as string];
  const afterTitle = body.slice(titleIndex + 1);
  if (tool === "bash" || (tool === undefined && question === PROCEED)) {
    if (question !== PROCEED || titleMatch?.[2] !== undefined) return undefined;
    const command = readCommand(afterTitle, width, toolCallCommandAbove(lines, rule));
    if (command === undefined || command.subject === "") return undefined;
    return { kind: "permission", tool: tool ?? "other", title, ...command, question, options };
  }
  if (tool === undefined || file === undefined) return undefined;
  // The file named in the question must be the one under the title: otherwise the screen is not what it seems.
  if (fileUnderTitle(titleMatch?.[2], afterTitle) !== file) return undefined;
  return { kind: "permission", tool, title, subject: file, description: null, question, options };
}

// The file on the title's row (2.0.x), or the first row under it (2.1.x), or inside 1.0.x's inner box (`│ notes.txt │`).
function fileUnderTitle(onTitle: string | undefined, afterTitle: Line[]): string | undefined {
  if (onTitle !== undefined) return onTitle;
  const row = afterTitle.find((l) => l.text !== "" && !/^╭─+╮$/.test(l.text))?.text;
  return row?.replace(/^│\s*(.*?)\s*│$/, "$1");
}

// The dialog's top is above the screen: it asks for permission, but what for cannot be read whole.
function clipped(above: Line[], question: string, file: string | undefined, options: PromptOption[]): PermissionPrompt {
  const visible = above.filter((l) => l.text !== "" && !isDashedRule(l)).map((l) => l.text);
  return {
    kind: "permission",
    tool: "other",
    title: "",
    subject: file ?? visible.join("\n"),
    description: null,
    question,
    options,
    incomplete: "the top of the dialog is above the screen, so its title and the start of its command cannot be read",
  };
}
