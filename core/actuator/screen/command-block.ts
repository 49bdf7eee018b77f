// Reads the command out of a Bash dialog's body, whole, or says why it cannot be sure it has all of it.
import { isDashedRule, looksLikeRule, type Line } from "./screen-lines";

export interface CommandReading {
  subject: string;
  description: string | null;
  /** Set when the subject may not be the whole command (the reason, in plain words). */
  incomplete?: string;
}

// Claude Code wraps long lines at the dialog's edge: a line that, with the next line's first word, would not have fit
// within this many columns of the edge may be one line of the command broken by the screen, not by a newline.
const WRAP_SLACK = 8;
// Claude Code 2.1.330 prefixes each line of a multi-line command with a gutter.
const GUTTER = /^│(?: |$)/;

/**
 * `body` is the dialog between its title and its question; `width` the dialog's width in columns; `transcript` the
 * command as the tool call above the dialog shows it (only used by the older layout, to find where the command ends).
 * Undefined when the body holds no command at all.
 */
export function readCommand(body: Line[], width: number, transcript: string | undefined): CommandReading | undefined {
  const dashed = body.flatMap((l, i) => (isDashedRule(l) ? [i] : []));
  if (dashed.length === 2) {
    const [open, close] = dashed as [number, number];
    // 2.1.x: tips and the description above the frame, the command inside it, notes below it.
    const header = body.slice(0, open).map((l) => l.text).filter((t) => t !== "" && !t.startsWith("Tip:"));
    return framed(body.slice(open + 1, close), width, header.at(-1) ?? null);
  }
  const text = trimBlankEnds(body);
  if (dashed.length !== 0) return text.length === 0 ? undefined : { subject: joinLines(text), description: null, incomplete: "the frame around the command could not be read" };
  return unframed(text, width, transcript);
}

function trimBlankEnds(lines: Line[]): Line[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.text === "") start++;
  while (end > start && lines[end - 1]?.text === "") end--;
  return lines.slice(start, end);
}

// Lines keep their indentation relative to the least indented one: inside quotes or here-documents it is the command.
function joinLines(lines: Line[]): string {
  const base = Math.min(...lines.filter((l) => l.text !== "").map((l) => l.indent));
  return lines.map((l) => (l.text === "" ? "" : `${" ".repeat(l.indent - base)}${l.text}`)).join("\n");
}

// `│   rm y` is the line `  rm y`: what follows the gutter keeps its own indentation.
function ungutter(l: Line): Line {
  const rest = l.text.replace(GUTTER, "");
  return { text: rest.trim(), indent: rest.length - rest.trimStart().length };
}

function framed(inside: Line[], width: number, description: string | null): CommandReading | undefined {
  const lines = trimBlankEnds(inside);
  if (lines.length === 0) return undefined;
  const written = lines.filter((l) => l.text !== "");
  const guttered = written.filter((l) => GUTTER.test(l.text)).length;
  // Only multi-line commands have the gutter: anything else means the lines are not what they seem.
  if (guttered !== 0 && (guttered !== written.length || written.length === 1)) {
    return { subject: joinLines(lines), description, incomplete: "the command's lines are not drawn the way Claude Code draws a command" };
  }
  const command = guttered === 0 ? lines : lines.map(ungutter);
  if (command.every((l) => l.text === "")) return undefined;
  const doubt = doubtAboutWholeness(lines, command, width);
  return { subject: joinLines(command), description, ...(doubt === undefined ? {} : { incomplete: doubt }) };
}

/**
 * Up to 2.0.x there is no frame: the command's lines, then the description, all at one indent. Where the command
 * ends is taken from the tool call above the dialog (`● Bash(…)`) when it shows the command whole; otherwise the
 * reader cannot tell command from description and says so.
 */
function unframed(lines: Line[], width: number, transcript: string | undefined): CommandReading | undefined {
  if (lines.length === 0) return undefined;
  let cut: number | undefined;
  if (lines.length === 1) cut = 1;
  else if (transcript !== undefined) {
    // The description is one line: the command is all the lines, or all but the last, and nothing shorter.
    for (const k of [lines.length, lines.length - 1]) if (cut === undefined && joinLines(lines.slice(0, k)) === transcript) cut = k;
  }
  if (cut === undefined) {
    return { subject: joinLines(lines), description: null, incomplete: "the command could not be told apart from its description (no frame, and the tool call above does not show it whole)" };
  }
  const command = lines.slice(0, cut);
  const description = cut < lines.length ? lines.slice(cut).map((l) => l.text).join(" ") : null;
  const doubt = doubtAboutWholeness(command, command, width);
  return { subject: joinLines(command), description, ...(doubt === undefined ? {} : { incomplete: doubt }) };
}

/** Why the command on screen may not be the whole command, or undefined. `shown` are the rows as drawn, `command` their text. */
function doubtAboutWholeness(shown: Line[], command: Line[], width: number): string | undefined {
  for (const l of command) {
    if (l.text.endsWith("…")) return "the command is cut short with …";
    if (/^… ?\+\d+ lines?\b|\bctrl\+[a-z] to expand\b/i.test(l.text)) return "the dialog hides some lines of the command";
    if (looksLikeRule(l)) return "the command holds a line drawn like the dialog's frame";
  }
  for (let i = 0; i + 1 < shown.length; i++) {
    const row = shown[i] as Line;
    const next = command[i + 1] as Line;
    if (row.text === "" || next.text === "") continue;
    const firstWord = next.text.split(/\s/, 1)[0] ?? "";
    if (row.indent + row.text.length + 1 + firstWord.length > width - WRAP_SLACK) {
      return "a line of the command reaches the edge of the dialog, so the screen may have wrapped it";
    }
  }
  return undefined;
}
