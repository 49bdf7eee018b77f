// Splits a shell command into simple commands and words, refusing anything whose meaning depends on expansion.

/** One simple command: its words (quotes removed) and where its output is redirected. */
export interface SimpleCommand {
  words: string[];
  /** Targets of `>`, `>>`, `&>`, `2>` … (not `>&2`-style descriptor copies). */
  redirects: string[];
}

export type ShellParse = { ok: true; commands: SimpleCommand[] } | { ok: false; reason: string };

const SEPARATORS = new Set([";", "&&", "||", "|", "&", "\n", "|&"]);

/**
 * Parses `text` the way a POSIX shell would split it, for the subset whose meaning is certain: words, quotes,
 * separators and redirections. Command or process substitution, variables, here-documents, subshells and brace
 * groups make the command unparseable: the policy then refuses it (it cannot know what would run).
 */
export function parseShell(text: string): ShellParse {
  const tokens: { value: string; operator: boolean }[] = [];
  let word = "";
  let inWord = false;
  const push = () => {
    if (inWord) tokens.push({ value: word, operator: false });
    word = "";
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return { ok: false, reason: "an unclosed quote" };
      word += text.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j];
        if (d === "$" || d === "`") return { ok: false, reason: "an expansion inside double quotes" };
        if (d === "\\") j++;
        word += text[j] ?? "";
      }
      if (j >= text.length) return { ok: false, reason: "an unclosed quote" };
      inWord = true;
      i = j;
    } else if (c === "\\") {
      if (text[i + 1] === "\n") i++;
      else {
        word += text[i + 1] ?? "";
        inWord = true;
        i++;
      }
    } else if (c === "$" || c === "`") return { ok: false, reason: "a variable, command substitution or expansion" };
    else if (c === "(" || c === ")" || c === "{" || c === "}") return { ok: false, reason: "a subshell, group or process substitution" };
    else if (c === " " || c === "\t") push();
    else if (c === "\n" || c === ";" || c === "&" || c === "|" || c === "<" || c === ">") {
      const two = text.slice(i, i + 2);
      if (two === "<<") return { ok: false, reason: "a here-document" };
      // `2>`: a descriptor number directly before a redirection belongs to the operator.
      const fd = /^\d+$/.test(word) && (c === ">" || c === "<") ? word : "";
      if (fd) {
        word = "";
        inWord = false;
      } else push();
      const op = [">>", "&&", "||", "&>", "|&", ">&"].includes(two) ? two : c;
      tokens.push({ value: fd + op, operator: true });
      i += op.length - 1;
    } else if (c === "#" && !inWord) break;
    else {
      word += c;
      inWord = true;
    }
  }
  push();
  return splitCommands(tokens);
}

function splitCommands(tokens: { value: string; operator: boolean }[]): ShellParse {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [] };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    if (!token.operator) current.words.push(token.value);
    else if (SEPARATORS.has(token.value)) {
      if (current.words.length > 0) commands.push(current);
      current = { words: [], redirects: [] };
    } else {
      const target = tokens[i + 1];
      if (target === undefined || target.operator) return { ok: false, reason: `a redirection (${token.value}) without a target` };
      i++;
      // `>&2` copies a descriptor; anything else names a file.
      if (token.value.endsWith(">&") && /^\d+$/.test(target.value)) continue;
      if (token.value.includes(">")) current.redirects.push(target.value);
    }
  }
  if (current.words.length > 0) commands.push(current);
  if (commands.length === 0) return { ok: false, reason: "no command" };
  return { ok: true, commands };
}
