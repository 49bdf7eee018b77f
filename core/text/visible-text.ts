// Shows untrusted text whole for a confirmation, every control and invisible character turned into a visible token.
//
// terminalSafe() removes such characters, which suits status lines; a person confirming a command must instead SEE
// that it holds an ESC, a carriage return, a zero-width space or a bidi override. The tokens:
//   - C0 controls and DEL are shown as their Unicode control pictures: ESC ␛, CR ␍, TAB ␉, NUL ␀, DEL ␡ (U+2400–2421).
//     A line feed stays a real line break in visibleText() (every line is shown) and is ␊ in visibleLine().
//   - every other invisible, spacing or format character is shown as <U+XXXX> (4 to 6 upper-case hex digits):
//     C1 controls, format characters (zero-width, bidi embeddings/overrides/isolates, BOM, tags), spaces other than
//     the ASCII space (NBSP, ideographic space, …), line/paragraph separators, default-ignorables (variation
//     selectors, Hangul fillers), private-use, unassigned and lone surrogate code units, and a combining mark that
//     has no visible base (at a line start or on a token) or that stacks past MAX_MARKS on one base.
//   - so that no literal text can pass for a token, literal characters that could look like one are escaped too:
//     the whole Control Pictures block (U+2400–243F), every non-ASCII look-alike of "<", and an ASCII "<" followed
//     by "U", "u" or any non-ASCII character (so "<U+200B>" typed in a command is shown as "<U+003C>U+200B>").
// Hence, in the output, every control picture and every "<U+" begins a token: VISIBLE_TOKEN finds them exactly.

/** One piece of a shown line: literal text, or a token standing for one character. */
export interface VisibleSegment {
  text: string;
  token: boolean;
}

/** Matches exactly the tokens in visibleText()/visibleLine() output (nothing literal can match it). */
export const VISIBLE_TOKEN = /[\u2400-\u2421]|<U\+[0-9A-F]{4,6}>/g;

// Characters that do not show as themselves. The ASCII space and the line feed are handled before this is tested.
const INVISIBLE = /^(?:[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800])$/u;
// Control Pictures: a literal one would look like an escaped control character.
const CONTROL_PICTURE = /^[\u2400-\u243f]$/u;
// Look-alikes of "<" (full-width, small, angle brackets, ornaments, modifier letter, Canadian syllabics).
const LESS_THAN_LOOKALIKE = /^[\uff1c\ufe64\u2039\u2329\u3008\u27e8\u02c2\u1438\u276c\u276e\u2770\u29fc]$/u;
const MARK = /^\p{M}$/u;
/** Combining marks shown on one base before the rest are shown as tokens (stacked marks can cover other lines). */
const MAX_MARKS = 4;

const codeToken = (codePoint: number) => `<U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}>`;

/** The token for one character, or undefined when it shows as itself. `next` is the character after it. */
function tokenFor(char: string, next: string | undefined, lineFeed: "keep" | "show"): string | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (char === " ") return undefined;
  if (char === "\n") return lineFeed === "keep" ? undefined : "\u240a";
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  if (char === "<") return next !== undefined && (/^[Uu]$/.test(next) || (next.codePointAt(0) ?? 0) > 0x7f) ? codeToken(code) : undefined;
  if (code < 0x7f) return undefined;
  if (INVISIBLE.test(char) || CONTROL_PICTURE.test(char) || LESS_THAN_LOOKALIKE.test(char)) return codeToken(code);
  return undefined;
}

/** Untrusted text as visible pieces; line feeds are kept as literal "\n" (`keep`) or shown as ␊ (`show`). */
function segments(text: string, lineFeed: "keep" | "show"): VisibleSegment[] {
  const chars = Array.from(text);
  const out: VisibleSegment[] = [];
  const push = (piece: string, token: boolean) => {
    const last = out.at(-1);
    if (last !== undefined && last.token === token && !token) last.text += piece;
    else out.push({ text: piece, token });
  };
  // Marks on the current base; -1 when there is no visible base (line start, after a token or a space).
  let marks = -1;
  chars.forEach((char, i) => {
    let token = tokenFor(char, chars[i + 1], lineFeed);
    if (token === undefined && MARK.test(char)) {
      if (marks < 0 || marks >= MAX_MARKS) token = codeToken(char.codePointAt(0) ?? 0);
      else marks += 1;
    } else if (token === undefined) marks = char === " " || char === "\n" ? -1 : 0;
    if (token !== undefined) {
      push(token, true);
      marks = -1;
    } else push(char, false);
  });
  return out;
}

/** `text` whole, every line kept (line feeds stay line breaks), every other control or invisible character a token. */
export function visibleText(text: string): string {
  return segments(text, "keep")
    .map((s) => s.text)
    .join("");
}

/** One line for a label or a button: like visibleText(), and a line feed is shown as ␊. */
export function visibleLine(text: string): string {
  return segments(text, "show")
    .map((s) => s.text)
    .join("");
}

/** Visible text (from visibleText/visibleLine) split back into literal pieces and tokens, for styling the tokens. */
export function splitTokens(shown: string): VisibleSegment[] {
  const out: VisibleSegment[] = [];
  let at = 0;
  for (const match of shown.matchAll(VISIBLE_TOKEN)) {
    if (match.index > at) out.push({ text: shown.slice(at, match.index), token: false });
    out.push({ text: match[0], token: true });
    at = match.index + match[0].length;
  }
  if (at < shown.length) out.push({ text: shown.slice(at), token: false });
  return out;
}

// Names for the controls a person is most likely to meet; every other token is named by its code point alone.
const NAMES: Record<number, string> = { 0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x0a: "LF", 0x0b: "VT", 0x0c: "FF", 0x0d: "CR", 0x1b: "ESC", 0x7f: "DEL" };

/**
 * What a token stands for, for a tooltip ("ESC, U+001B"), so that a token is named even where a font lacks the
 * control pictures. Undefined for text that is not a token.
 */
export function tokenTitle(token: string): string | undefined {
  let code: number | undefined;
  if (/^<U\+[0-9A-F]{4,6}>$/.test(token)) code = Number.parseInt(token.slice(3, -1), 16);
  else if (/^[\u2400-\u2420]$/.test(token)) code = (token.codePointAt(0) ?? 0) - 0x2400;
  else if (token === "\u2421") code = 0x7f;
  if (code === undefined) return undefined;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = NAMES[code];
  return name === undefined ? hex : `${name}, ${hex}`;
}
