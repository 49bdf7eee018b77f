// A screen as rows the readers can reason about: trimmed text with its indent, the frame rules, and 1.0.x's boxed dialogs.

export interface Line {
  /** The row without leading or trailing blanks. */
  text: string;
  /** Columns of blanks before the text. */
  indent: number;
}

const SOLID = /^─{20,}$/;
const DASHED = /^╌{20,}$/;

function line(raw: string): Line {
  const right = raw.replace(/\s+$/, "");
  return { text: right.trim(), indent: right.length - right.trimStart().length };
}

export function toLines(screen: string): Line[] {
  return screen.split(/\r?\n/).map(line);
}

// Frame rules start at column 0: a rule drawn inside a command (which Claude Code indents) is only text.
export function isSolidRule(l: Line | undefined): boolean {
  return l !== undefined && l.indent === 0 && SOLID.test(l.text);
}

export function isDashedRule(l: Line | undefined): boolean {
  return l !== undefined && l.indent === 0 && DASHED.test(l.text);
}

/** Any rule, at any column (for "is this line text at all" questions, never for finding a frame). */
export function looksLikeRule(l: Line | undefined): boolean {
  return l !== undefined && (SOLID.test(l.text) || DASHED.test(l.text));
}

export function lastNonBlank(lines: Line[], from: number): number {
  let i = from;
  while (i >= 0 && lines[i]?.text === "") i--;
  return i;
}

/**
 * Claude Code 1.0.x draws a dialog as a box (`╭─╮`, `│ … │`, `╰─╯`) at the bottom of the screen, with no footer.
 * Returns the screen with that box opened up the way later versions draw it (its top border becomes a solid rule at
 * column 0, its rows lose their side borders) and the index of its last row; undefined when the screen does not end
 * in a clean box. When the box's top is above the screen, no rule is put in: the reader then knows it is clipped.
 */
export function openBottomBox(screen: string): { lines: Line[]; end: number } | undefined {
  const raw = screen.split(/\r?\n/).map((r) => r.replace(/\s+$/, ""));
  let bottom = raw.length - 1;
  while (bottom >= 0 && raw[bottom]?.trim() === "") bottom--;
  const last = raw[bottom];
  if (last === undefined || !/^\s*╰─+╯$/.test(last)) return undefined;
  const column = last.length - last.trimStart().length;
  const width = last.length - column;
  const inner: Line[] = [];
  let top = bottom - 1;
  for (; top >= 0; top--) {
    const row = raw[top] as string;
    const body = row.slice(column);
    if (row.slice(0, column).trim() === "" && body.length === width && /^╭─+╮$/.test(body)) break;
    // Every row of a clean box has both borders at the box's columns; anything else is not a box we can read.
    if (row.slice(0, column).trim() !== "" || body.length !== width || !body.startsWith("│") || !body.endsWith("│")) return undefined;
    inner.unshift(line(body.slice(1, -1)));
  }
  const above = raw.slice(0, Math.max(top, 0)).map(line);
  const rule = top >= 0 ? [{ text: "─".repeat(width - 2), indent: 0 }] : [];
  const lines = [...above, ...rule, ...inner];
  return { lines, end: lastNonBlank(lines, lines.length - 1) };
}
