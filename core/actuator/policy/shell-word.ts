// Turns one word of the syntax tree into the string the shell would pass, or refuses: any expansion, glob, tilde or
// brace expansion means the word is not known before it runs.
import type { Node } from "web-tree-sitter";
import { unjudgeable } from "./unjudgeable";

/** One character of a word and whether quoting made it literal (globs, `~` and braces act only unquoted). */
interface Char {
  ch: string;
  quoted: boolean;
}

/** The literal value of an argument node, or throws `Unjudgeable`. */
export function wordValue(node: Node): string {
  const chars = wordChars(node);
  refuseUnquotedExpansions(chars, node.text);
  return chars.map((c) => c.ch).join("");
}

function wordChars(node: Node): Char[] {
  switch (node.type) {
    case "word":
    case "number":
      return unquotedWord(node.text);
    case "raw_string":
      return Array.from(node.text.slice(1, -1), (ch) => ({ ch, quoted: true }));
    case "string":
      return doubleQuoted(node);
    case "concatenation":
      return node.children.flatMap((child) => (child === null ? [] : wordChars(child)));
    case "ansi_c_string":
    case "translated_string":
      return unjudgeable(`a ${node.type === "ansi_c_string" ? "$'…'" : '$"…"'} string (${node.text})`);
    case "simple_expansion":
    case "expansion":
      return unjudgeable(`a variable (${node.text})`);
    case "command_substitution":
      return unjudgeable(`a command substitution (${node.text})`);
    case "process_substitution":
      return unjudgeable(`a process substitution (${node.text})`);
    case "arithmetic_expansion":
      return unjudgeable(`an arithmetic expansion (${node.text})`);
    case "brace_expression":
      return unjudgeable(`a brace expansion (${node.text})`);
    default:
      return unjudgeable(`a ${node.type} where a word was expected (${node.text})`);
  }
}

// Backslash quotes the next character; `$` or a backquote left in a plain word would expand.
function unquotedWord(text: string): Char[] {
  const chars: Char[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === undefined) return unjudgeable("a word ending in a lone backslash");
      if (next === "\n") return unjudgeable("a line continuation inside a word");
      chars.push({ ch: next, quoted: true });
      i++;
    } else if (ch === "$" || ch === "`") return unjudgeable(`an expansion (${text})`);
    // Bash ends an unquoted word at any blank: a word that holds one was misread by the grammar (`a\n\\rm`).
    else if (ch === " " || ch === "\t" || ch === "\n") return unjudgeable(`a word the parser read across a line or a blank (${JSON.stringify(text)})`);
    else chars.push({ ch, quoted: false });
  }
  return chars;
}

// Inside double quotes only string content is literal; `\` quotes only $ ` " \ and newline.
function doubleQuoted(node: Node): Char[] {
  const chars: Char[] = [];
  for (const child of node.children) {
    if (child === null || child.type === '"') continue;
    // An expansion names itself (wordChars throws); anything else is refused here.
    if (child.type !== "string_content") return wordChars(child).length >= 0 ? unjudgeable(`a ${child.type} inside double quotes (${node.text})`) : [];
    const text = child.text;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? "";
      const next = text[i + 1];
      if (ch === "\\" && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== "\n") chars.push({ ch: next, quoted: true });
        i++;
      } else if (ch === "$" || ch === "`") return unjudgeable(`an expansion inside double quotes (${node.text})`);
      else chars.push({ ch, quoted: true });
    }
  }
  return chars;
}

// Globs (* ? [), a leading tilde or one after = or :, and brace lists or ranges act only when unquoted.
function refuseUnquotedExpansions(chars: Char[], source: string): void {
  let braceOpen = -1;
  for (let i = 0; i < chars.length; i++) {
    const { ch, quoted } = chars[i] as Char;
    if (quoted) continue;
    if (ch === "*" || ch === "?" || ch === "[") unjudgeable(`a glob pattern (${source})`);
    if (ch === "~") {
      const before = chars[i - 1];
      if (before === undefined || (!before.quoted && (before.ch === "=" || before.ch === ":"))) unjudgeable(`a home-directory expansion (${source})`);
    }
    if (ch === "{") braceOpen = i;
    if (ch === "}" && braceOpen >= 0) {
      const inside = chars.slice(braceOpen + 1, i);
      const comma = inside.some((c) => !c.quoted && c.ch === ",");
      const range = inside.some((c, j) => !c.quoted && c.ch === "." && inside[j + 1]?.ch === "." && inside[j + 1]?.quoted === false);
      if (comma || range) unjudgeable(`a brace expansion (${source})`);
      braceOpen = -1;
    }
  }
}
