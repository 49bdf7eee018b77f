// Every control and invisible character of a confirmed command is shown as a token, and no literal text can pass for one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitTokens, tokenTitle, VISIBLE_TOKEN, visibleLine, visibleText } from "./visible-text";

describe("visibleText", () => {
  it("shows C0 controls as control pictures and keeps every line", () => {
    expect(visibleText("npm test\u001b[8m\r\trm -rf ~\u0000\u007f\nsecond line\n")).toBe("npm test␛[8m␍␉rm -rf ~␀␡\nsecond line\n");
  });

  it("shows zero-width, bidi, non-breaking space, C1, BOM, tag and lone surrogate characters as <U+XXXX>", () => {
    const cases: [string, string][] = [
      ["\u200b", "<U+200B>"],
      ["\u200d", "<U+200D>"],
      ["\u202a", "<U+202A>"],
      ["\u202e", "<U+202E>"],
      ["\u2066", "<U+2066>"],
      ["\u2069", "<U+2069>"],
      ["\u200e", "<U+200E>"],
      ["\u00a0", "<U+00A0>"],
      ["\u3000", "<U+3000>"],
      ["\u0085", "<U+0085>"],
      ["\u009b", "<U+009B>"],
      ["\ufeff", "<U+FEFF>"],
      ["\u2028", "<U+2028>"],
      ["\u00ad", "<U+00AD>"],
      ["\u3164", "<U+3164>"],
      ["\u2800", "<U+2800>"],
      ["\ufe0f", "<U+FE0F>"],
      ["\u{e0041}", "<U+E0041>"],
      ["\u{f0000}", "<U+F0000>"],
      ["\ud800", "<U+D800>"],
      ["\udfff", "<U+DFFF>"],
    ];
    for (const [char, token] of cases) expect(visibleText(`a${char}b`), JSON.stringify(char)).toBe(`a${token}b`);
  });

  it("leaves printable text alone: ASCII, non-Latin scripts, emoji, accents, shell redirections", () => {
    const text = "grep -n 'café' < in.txt > out.txt 2>&1 && echo 日本語 😀 Ünïcödé <(ls) <<EOF";
    expect(visibleText(text)).toBe(text);
  });

  it("escapes literal text that could pass for a token: control pictures, '<U', '<' look-alikes", () => {
    expect(visibleText("echo ␛ <U+200B> ＜U+200B＞ ‹U+200B›")).toBe("echo <U+241B> <U+003C>U+200B> <U+FF1C>U+200B＞ <U+2039>U+200B›");
    expect(visibleText("<u+200b>")).toBe("<U+003C>u+200b>");
    expect(visibleText("<Ս")).toBe("<U+003C>Ս");
  });

  it("shows a combining mark without a visible base, or stacked too high, as a token", () => {
    expect(visibleText("\u0301x")).toBe("<U+0301>x");
    expect(visibleText("\u001b\u0338")).toBe("␛<U+0338>");
    expect(visibleText("e\u0301")).toBe("e\u0301");
    expect(visibleText(`a${"\u0300".repeat(6)}`)).toBe(`a${"\u0300".repeat(4)}<U+0300><U+0300>`);
  });

  it("never cuts: a 5,000-character, 40-line command comes back whole", () => {
    const text = Array.from({ length: 40 }, (_, i) => `echo 'line ${i} ${"x".repeat(110)}'`).join("\n");
    expect(text.length).toBeGreaterThan(5000);
    expect(visibleText(text)).toBe(text);
  });
});

describe("visibleLine", () => {
  it("shows a line feed as ␊ so that one line stays one line", () => {
    expect(visibleLine("Bash\ncommand\r")).toBe("Bash␊command␍");
  });
});

describe("tokenTitle", () => {
  it("names a token for a tooltip, and nothing else", () => {
    expect(["␛", "␍", "␉", "␡", "<U+202E>", "<U+0085>"].map(tokenTitle)).toEqual(["ESC, U+001B", "CR, U+000D", "TAB, U+0009", "DEL, U+007F", "U+202E", "U+0085"]);
    expect(tokenTitle("x")).toBeUndefined();
  });
});

describe("tokens are unambiguous", () => {
  // Any text at all: the tokens found in its visible form are exactly the characters that were escaped, and every
  // character not escaped is shown as itself, so a person (and splitTokens) can tell a token from literal text.
  it("visible text splits back into literal pieces and tokens that rebuild the original", () => {
    const decode = (shown: string) =>
      splitTokens(shown)
        .map((s) => {
          if (!s.token) return s.text;
          if (s.text.startsWith("<U+")) return String.fromCodePoint(Number.parseInt(s.text.slice(3, -1), 16));
          return s.text === "\u2421" ? "\u007f" : String.fromCodePoint((s.text.codePointAt(0) ?? 0) - 0x2400);
        })
        .join("");
    const anyText = fc.string({ unit: fc.oneof(fc.constantFrom("<", "U", "u", "+", "2", "0", "B", ">", "␛", "\u001b", "\n", "\u200b", "\u202e", " ", "\u0301", "é", "\ud800"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 40 });
    fc.assert(
      fc.property(anyText, (text) => {
        const shown = visibleText(text);
        expect(decode(shown)).toBe(text);
        // No literal piece holds anything invisible other than a space or a line feed.
        for (const piece of splitTokens(shown).filter((s) => !s.token)) expect(piece.text).not.toMatch(/[^\P{C}\n]|(?! )[\p{Zs}\p{Zl}\p{Zp}]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it("VISIBLE_TOKEN is global, for matchAll", () => {
    expect(VISIBLE_TOKEN.flags).toContain("g");
  });
});
