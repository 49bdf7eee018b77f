// The one module that decides what a Claude Code screen shows: a permission prompt (question, subject, labelled
// options), another dialog, a busy turn, the idle input box, or something it does not recognise (never answerable).
import { optionMeaning } from "./option-meaning";
import type { PermissionPrompt, PromptOption, PromptTool, ScreenReading } from "./types";

const HIGHLIGHT = "❯";
const SOLID_RULE = /^─{20,}$/;
const DASHED_RULE = /^╌{20,}$/;
const TOOL_TITLES: Readonly<Record<string, PromptTool>> = { "Bash command": "bash", "Create file": "create-file", "Edit file": "edit-file" };

interface Line {
  text: string;
  indent: number;
}

function toLines(screen: string): Line[] {
  return screen.split(/\r?\n/).map((raw) => {
    const text = raw.replace(/\s+$/, "");
    return { text: text.trim(), indent: text.length - text.trimStart().length };
  });
}

function isRule(line: Line | undefined, pattern: RegExp): boolean {
  return line !== undefined && pattern.test(line.text);
}

/** Reads a screen (plain text, one row per line, as a person sees it). Anything unclear is `unrecognised`. */
export function readScreen(screen: string): ScreenReading {
  const lines = toLines(screen);
  let footer = lines.length - 1;
  while (footer >= 0 && lines[footer]?.text === "") footer--;
  const footerText = lines[footer]?.text;
  if (footerText === undefined) return { kind: "unrecognised", reason: "the screen is empty" };
  // Busy first: a spinner footer means the turn is running, whatever else is on screen.
  if (/\besc to interrupt\b/i.test(footerText)) return { kind: "busy", reason: "a turn is running (esc to interrupt)" };
  if (/\bEsc to cancel\b/.test(footerText)) return readDialog(lines, footer);
  if (isIdleBox(lines, footer)) return { kind: "idle", reason: "the input box is waiting for the person" };
  return { kind: "unrecognised", reason: "neither a dialog, a running turn nor the input box" };
}

// The idle input box: a rule, the `❯` input line(s), a rule, then the mode footer.
function isIdleBox(lines: Line[], footer: number): boolean {
  const bottom = footer - 1;
  if (!isRule(lines[bottom], SOLID_RULE)) return false;
  let top = bottom - 1;
  while (top >= 0 && !isRule(lines[top], SOLID_RULE)) top--;
  return top >= 0 && top < bottom - 1 && lines[top + 1]?.text.startsWith(HIGHLIGHT) === true;
}

function readDialog(lines: Line[], footer: number): ScreenReading {
  let end = footer - 1;
  while (end >= 0 && lines[end]?.text === "") end--;
  let start = end;
  while (start > 0 && lines[start - 1]?.text !== "" && !isRule(lines[start - 1], DASHED_RULE) && !isRule(lines[start - 1], SOLID_RULE)) start--;
  const block = lines.slice(start, end + 1);
  const marked = block.filter((l) => l.text.startsWith(`${HIGHLIGHT} `) || l.text === HIGHLIGHT);
  if (marked.length !== 1) return { kind: "unrecognised", reason: `a dialog with ${marked.length} highlighted options` };
  const column = marked[0]?.indent ?? 0;
  const firstOption = start + block.findIndex((l) => l.indent > column || l === marked[0]);
  // The question is the nearest text above the options, at the highlight's column (a blank line may separate them).
  let questionIndex = firstOption - 1;
  while (questionIndex >= 0 && lines[questionIndex]?.text === "") questionIndex--;
  const question = lines[questionIndex];
  if (question === undefined || question.indent !== column || isRule(question, SOLID_RULE) || isRule(question, DASHED_RULE)) {
    return { kind: "unrecognised", reason: "a dialog whose question could not be found above its options" };
  }
  const options = readOptions(lines.slice(firstOption, end + 1), column);
  if (typeof options === "string") return { kind: "unrecognised", reason: options };
  const permission = readPermission(lines, questionIndex, question.text, options);
  return permission ?? { kind: "other-dialog", question: question.text, options };
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

// Above the options: a solid rule, the title, for commands a description then the command between dashed rules.
function readPermission(lines: Line[], questionIndex: number, question: string, options: PromptOption[]): PermissionPrompt | undefined {
  let rule = questionIndex - 1;
  while (rule >= 0 && !isRule(lines[rule], SOLID_RULE)) rule--;
  if (rule < 0) return undefined;
  const body = lines.slice(rule + 1, questionIndex);
  const titleIndex = body.findIndex((l) => l.text !== "");
  const title = body[titleIndex]?.text ?? "";
  const tool = TOOL_TITLES[title];
  if (tool === undefined && !/^Do you want to proceed\?$/.test(question)) return undefined;
  const dashed = body.flatMap((l, i) => (isRule(l, DASHED_RULE) ? [i] : []));
  const [open, close] = dashed;
  if (open === undefined || close === undefined) return undefined;
  const header = body.slice(titleIndex + 1, open).map((l) => l.text).filter((t) => t !== "" && !t.startsWith("Tip:"));
  const inside = body.slice(open + 1, close).map((l) => l.text).join("\n").trim();
  if (tool === "bash" || tool === undefined) {
    if (question !== "Do you want to proceed?" || inside === "") return undefined;
    return { kind: "permission", tool: tool ?? "other", title, subject: inside, description: header.at(-1) ?? null, question, options };
  }
  const file = /^Do you want to (?:create|make this edit to) (.+)\?$/.exec(question)?.[1];
  // The file named in the question must be the one under the title: otherwise the screen is not what it seems.
  if (file === undefined || header[0] !== file) return undefined;
  return { kind: "permission", tool, title, subject: file, description: null, question, options };
}
