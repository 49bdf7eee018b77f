// Characters a person cannot see or that shells and parsers may read differently: a command holding one is not judged.

// Inclusive code point ranges: C0 controls but tab and newline, DEL and C1 controls, non-ASCII spaces, soft hyphen,
// combining grapheme joiner, zero-width and joiner characters, bidi controls, line/paragraph separators, Hangul
// fillers, variation selectors, the byte-order mark, specials, tag characters, and surrogates (lone halves).
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x08], [0x0b, 0x1f], [0x7f, 0xa0], [0xad, 0xad], [0x34f, 0x34f], [0x61c, 0x61c], [0x115f, 0x1160],
  [0x1680, 0x1680], [0x17b4, 0x17b5], [0x180e, 0x180e], [0x2000, 0x200f], [0x2028, 0x202f], [0x205f, 0x206f],
  [0x3000, 0x3000], [0x3164, 0x3164], [0xd800, 0xdfff], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0],
  [0xfff0, 0xfffb], [0xe0000, 0xe007f],
];

/** True when the code point `cp` is hidden (see HIDDEN_RANGES). */
export function isHiddenCodePoint(cp: number): boolean {
  return HIDDEN_RANGES.some(([from, to]) => cp >= from && cp <= to);
}

/** The first hidden character in `text` as `U+XXXX`, or undefined when there is none. */
export function firstHiddenCharacter(text: string): string | undefined {
  // for…of walks code points: a proper surrogate pair is one astral character, a lone half stays a surrogate.
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isHiddenCodePoint(cp)) return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return undefined;
}
