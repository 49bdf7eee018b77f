// Reads a command text through the Bash grammar into every simple command it holds (each with its words as the shell
// would pass them, its assignments and its redirections), or says why it cannot be judged.
import type { Node } from "web-tree-sitter";
import { firstHiddenCharacter } from "./hidden-characters";
import { parseBash, shellParserProblem, shellParserReady } from "./shell-parser";
import { wordValue } from "./shell-word";
import { Unjudgeable, unjudgeable } from "./unjudgeable";

/** Where a simple command's input comes from or its output goes. */
export interface Redirection {
  operator: string;
  /** The file named (quotes removed); undefined for a descriptor copy (`2>&1`) or a here-document/string. */
  target: string | undefined;
  /** True when the file is opened for writing. */
  writes: boolean;
}

/** One simple command as the shell would run it. */
export interface ShellCommand {
  /** The words, quotes removed: argv[0] is the program as written. Empty for a bare assignment (`x=1`). */
  argv: string[];
  /** `NAME=value` words before the program. */
  assignments: string[];
  redirects: Redirection[];
  /** The command's own text, for messages. */
  source: string;
}

export type ShellSyntax =
  | {
      ok: true;
      commands: ShellCommand[];
      /** The whole text is exactly one simple command: no separator, comment, newline, redirection or compound. */
      single: boolean;
    }
  | { ok: false; reason: string };

/** Texts longer than this are not read (a prompt this long is not answered unseen or unread). */
export const MAX_COMMAND_CHARS = 100_000;

// Compound statements whose parts are all judged; anything else (functions, case, [[ ]], declarations…) is refused.
const WALKED = new Set(["program", "list", "pipeline", "subshell", "compound_statement", "negated_command", "do_group", "if_statement", "elif_clause", "else_clause", "while_statement"]);
const REDIRECTS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);

/** Every simple command in `text`, or why the text cannot be judged. Needs `loadShellParser()` first. */
export function readShell(text: string): ShellSyntax {
  if (!shellParserReady()) return { ok: false, reason: shellParserProblem() };
  if (text.length > MAX_COMMAND_CHARS) return { ok: false, reason: `the command is longer than ${MAX_COMMAND_CHARS} characters` };
  const hidden = firstHiddenCharacter(text);
  if (hidden !== undefined) return { ok: false, reason: `it holds an invisible or control character (${hidden})` };
  // The grammar splits `r\<newline>m` into two words where Bash joins them into one: refuse what it would misread.
  if (/(^|[^ \t\\])\\\n/.test(text)) return { ok: false, reason: "a line continuation inside a word" };
  const tree = parseBash(text);
  if (tree === undefined) return { ok: false, reason: shellParserProblem() };
  try {
    const root = tree.rootNode;
    if (root.hasError) return { ok: false, reason: `the shell cannot parse it (${describeError(root)})` };
    const commands: ShellCommand[] = [];
    walk(root, [], commands);
    if (commands.length === 0) return { ok: false, reason: "no command in it" };
    return { ok: true, commands, single: isSingleCommand(root, text, commands) };
  } catch (error) {
    if (error instanceof Unjudgeable) return { ok: false, reason: error.message };
    throw error;
  } finally {
    tree.delete();
  }
}

function describeError(root: Node): string {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.isMissing) return `a missing ${node.type}`;
    if (node.isError) return `unexpected ${JSON.stringify(node.text.slice(0, 40))}`;
    for (const child of node.children) if (child !== null && child.hasError) stack.push(child);
  }
  return "a syntax error";
}

function isSingleCommand(root: Node, text: string, commands: ShellCommand[]): boolean {
  const only = root.children.length === 1 ? root.children[0] : undefined;
  const command = commands[0];
  return only?.type === "command" && commands.length === 1 && command !== undefined && command.redirects.length === 0 && command.assignments.length === 0 && !text.includes("\n") && text.trim() === only.text;
}

function walk(node: Node, redirects: Redirection[], out: ShellCommand[]): void {
  if (node.isMissing || node.isError) unjudgeable("a syntax error");
  if (!node.isNamed) return;
  switch (node.type) {
    case "comment":
      return;
    case "command":
      out.push(simpleCommand(node, redirects, out));
      return;
    case "variable_assignment":
      out.push({ argv: [], assignments: [assignment(node)], redirects, source: node.text });
      return;
    case "redirected_statement": {
      const own = [...redirects];
      for (const child of node.namedChildren) if (child !== null && REDIRECTS.has(child.type)) own.push(...redirection(child, out));
      for (const child of node.namedChildren) if (child !== null && !REDIRECTS.has(child.type)) walk(child, own, out);
      return;
    }
    case "for_statement":
      // `for NAME in WORDS; do …; done`: the words must be literal; the body is judged like any other.
      for (const value of node.childrenForFieldName("value")) if (value !== null) wordValue(value);
      for (const child of node.namedChildren) if (child !== null && child.type === "do_group") walk(child, redirects, out);
      return;
    case "function_definition":
      return unjudgeable(`a function definition (${firstLine(node.text)})`);
    default:
      if (!WALKED.has(node.type)) return unjudgeable(`a ${node.type.replace(/_/g, " ")} (${firstLine(node.text)})`);
      for (const child of node.namedChildren) if (child !== null) walk(child, redirects, out);
  }
}

// The reason names the command it was found in, so that a person sees which line of a long text is the problem.
function simpleCommand(node: Node, inherited: Redirection[], out: ShellCommand[]): ShellCommand {
  try {
    return readSimpleCommand(node, inherited, out);
  } catch (error) {
    if (error instanceof Unjudgeable && !error.message.includes(" in the command ")) unjudgeable(`${error.message} in the command "${firstLine(node.text)}"`);
    throw error;
  }
}

function readSimpleCommand(node: Node, inherited: Redirection[], out: ShellCommand[]): ShellCommand {
  const command: ShellCommand = { argv: [], assignments: [], redirects: [...inherited], source: node.text };
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === "command_name") {
      const name = child.namedChildren[0];
      if (name === null || name === undefined || child.namedChildren.length !== 1) unjudgeable(`an unusual command name (${child.text})`);
      command.argv.unshift(wordValue(name));
    } else if (child.type === "variable_assignment") command.assignments.push(assignment(child));
    else if (REDIRECTS.has(child.type)) command.redirects.push(...redirection(child, out));
    else if (child.type !== "comment") command.argv.push(wordValue(child));
  }
  return command;
}

function assignment(node: Node): string {
  const name = node.childForFieldName("name")?.text ?? "";
  const value = node.childForFieldName("value");
  return `${name}=${value === null ? "" : wordValue(value)}`;
}

// A here-document may carry the rest of its line (`cat <<EOF | sh`): those statements are judged too.
function redirection(node: Node, out: ShellCommand[]): Redirection[] {
  if (node.type === "herestring_redirect") {
    for (const child of node.namedChildren) if (child !== null) wordValue(child);
    return [{ operator: "<<<", target: undefined, writes: false }];
  }
  if (node.type === "heredoc_redirect") {
    const found: Redirection[] = [{ operator: "<<", target: undefined, writes: false }];
    for (const child of node.namedChildren) {
      if (child === null || child.type === "heredoc_start" || child.type === "heredoc_end") continue;
      if (child.type === "heredoc_body") {
        const expansion = child.namedChildren.find((c) => c !== null && c.type !== "heredoc_content");
        if (expansion !== undefined && expansion !== null) unjudgeable(`an expansion in a here-document (${expansion.text})`);
      } else if (child.type === "file_redirect") found.push(...redirection(child, out));
      else walk(child, [], out);
    }
    return found;
  }
  const operator = node.children.find((c) => c !== null && !c.isNamed)?.type ?? "";
  const destinations = node.childrenForFieldName("destination").filter((d): d is Node => d !== null);
  const destination = destinations[0];
  if (destination === undefined || destinations.length !== 1) return unjudgeable(`a redirection without one target (${node.text})`);
  const target = wordValue(destination);
  // `2>&1`, `>&-`: a descriptor copy or close names no file.
  if ((operator === ">&" || operator === "<&") && /^(\d+|-)$/.test(target)) return [{ operator, target: undefined, writes: false }];
  return [{ operator, target, writes: operator.includes(">") }];
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
