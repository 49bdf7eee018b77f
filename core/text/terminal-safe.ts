// Makes text from the bus, git or the file system safe to show a person: no escape sequences, no forged lines.

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other two-byte escapes, and the 8-bit CSI/OSC introducers.
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this module
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
// Line breaks and tabs become spaces (a note must not add rows to a table); other C0/C1 controls go.
const LINE_BREAKS = /[\n\r\t\v\f\u0085\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidirectional overrides and isolates reorder what the person reads ("Trojan Source").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * One line of display text: escape sequences and control characters removed, line breaks turned into
 * spaces, bidirectional overrides dropped. Printable text, including non-Latin scripts and emoji, stays.
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(LINE_BREAKS, " ").replace(CONTROLS, "").replace(BIDI_CONTROLS, "");
}

/** Like {@link terminalSafe} but keeps line breaks between lines (for multi-line messages). */
export function terminalSafeLines(text: string): string {
  return text.split("\n").map(terminalSafe).join("\n");
}

/**
 * One short line of untrusted text for a menu, tooltip or notification: {@link terminalSafe}, runs of spaces
 * collapsed, trimmed, and cut to at most `max` characters (code points, so an emoji is never split) ending in "…".
 */
export function displayLine(text: string, max: number): string {
  const line = terminalSafe(text).replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join("")}…` : line;
}
