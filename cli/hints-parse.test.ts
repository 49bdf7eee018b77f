// Every `otto-tray …` command line the CLI can print (hints, notes, usage) is collected from the source and checked to parse.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const COMMANDS = ["status", "detect", "heartbeat", "hook", "hooks", "bus", "run", "sessions", "actuator", "unstick", "audit", "doctor", "serve", "pool"];
const SUBCOMMANDS: Record<string, string[]> = {
  actuator: ["status", "on", "off", "auto", "judge"],
  bus: ["list", "clean"],
  hook: ["worktree-create", "worktree-remove", "worktree-keep"],
  hooks: ["install", "uninstall", "status"],
  unstick: ["plan", "confirm"],
  pool: ["init", "allocate", "release", "renew", "with", "status", "refresh", "prune", "doctor", "rescued"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

// A token of a printed command line: an option, a value (a word, a path, a number), a placeholder or a ${…} hole.
const TOKEN = String.raw`(?:--?[a-z][a-z-]*(?:=\S+)?|[A-Z][A-Z_]*|\$\{[^}]*\}|[a-z0-9/.~][\w./~-]*)(?![\w-])`;
const COMMAND_LINE = new RegExp(String.raw`otto-tray ((?:${TOKEN})(?: ${TOKEN})*)`, "g");

/** The command lines in the source: from "otto-tray " to the first thing no command line has (punctuation, two spaces). */
function collectHints(): { file: string; line: string }[] {
  const found: { file: string; line: string }[] = [];
  for (const file of [...sourceFiles(join(REPO_ROOT, "cli")), ...sourceFiles(join(REPO_ROOT, "core"))]) {
    for (const full of readFileSync(file, "utf8").split("\n")) {
      if (/^\s*(\/\/|\*|\/\*)/.test(full)) continue; // comments are not printed
      // Aligned usage columns ("hooks install   --surface ID") read as one command line.
      const text = full.replace(/(\/\*\*|\s\/\/\s).*$/, "").replace(/ {2,}/g, " ");
      for (const m of text.matchAll(COMMAND_LINE)) {
        const after = text.slice((m.index ?? 0) + m[0].length);
        if (after.startsWith(":")) continue; // "otto-tray pool: …", a message's prefix
        const words = (m[1] ?? "").split(" ");
        if (!COMMANDS.includes(words[0] ?? "")) continue; // "otto-tray process", "otto-tray rescue"
        if (words[1]?.startsWith("${")) continue; // a usage line built from parts ("otto-tray pool ${line}")
        const line = `otto-tray ${commandPart(words).join(" ")}`;
        const at = file.slice(REPO_ROOT.length);
        if (!MENTIONS.has(line) && !MENTIONS.has(`${at}: ${line}`)) found.push({ file: at, line });
      }
    }
  }
  return found;
}

// Options that take no value: a word after one is prose ("pool doctor --fix repairs it"), not its value.
const BOOLEAN_OPTIONS = new Set(["--fix", "--force", "--json", "--confirm", "--dry-run", "--include-ignored", "--worktrees", "--expired", "--brief-ack", "--once", "--open", "--auto", "--help", "--allow-new-surface"]);

// Prose that names a command without being a command line to run: "the sessions hosted by otto-tray run", the hook
// Claude Code runs (never a person), the name `pool with` gives its shell and the message of release's reflog entry.
const MENTIONS = new Set(["otto-tray run", "otto-tray hook", "otto-tray hook worktree-create", "cli/commands/pool/with.ts: otto-tray pool with", "core/pool/sidetick.ts: otto-tray pool release"]);

/** The words that belong to the command: the command, its subcommand(s), then options with their values and placeholders. */
function commandPart(words: string[]): string[] {
  const out = [words[0] as string];
  let i = 1;
  const subs = SUBCOMMANDS[out[0] as string] ?? [];
  if (subs.includes(words[i] ?? "")) out.push(words[i++] as string);
  if (out[1] === "auto" && (words[i] === "on" || words[i] === "off")) out.push(words[i++] as string);
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const previous = out[out.length - 1] ?? "";
    const isValue = previous.startsWith("--") && !previous.includes("=") && !BOOLEAN_OPTIONS.has(previous) && !word.startsWith("-");
    if (word.startsWith("-") || isValue || /^[A-Z][A-Z_]*$/.test(word) || word.startsWith("${")) out.push(word);
    else break;
  }
  return out;
}

/** Placeholders and ${…} holes become valid values, so what is checked is the command line's shape. */
function substitute(word: string, dir: string): string {
  if (word.startsWith("${")) return "otto-cli";
  const values: Record<string, string> = { ID: "otto-cli", N: "1", PID: "1", SECONDS: "60", REF: "main", PLAN_ID: "p1", CMD: "true", TEXT: "ls", NAME: "x", BRANCH: "x" };
  if (/^(DIR|PATH|FILE)$/.test(word)) return dir;
  return values[word] ?? word;
}

/** The options a subcommand's usage line requires (outside [...] and (...)). */
function requiredOptions(help: string, words: string[]): string[] {
  const head = `otto-tray ${words.filter((w) => !w.startsWith("-") && !/^[A-Z]/.test(w) && !w.startsWith("${")).join(" ")}`;
  const lines = help.split("\n").filter((l) => l.replace(/^usage: /, "").trim().replace(/\s+/g, " ").startsWith(`${head} `));
  if (lines.length !== 1) return [];
  let line = lines[0] as string;
  for (let before = ""; before !== line; ) {
    before = line;
    line = line.replace(/\[[^[\]]*\]/g, "").replace(/\([^()]*\)/g, "");
  }
  return [...line.matchAll(/ (--[a-z][a-z-]*)/g)].map((m) => m[1] as string);
}

describe("hints run as printed", () => {
  const hints = collectHints();

  it("finds the command lines the CLI prints", () => {
    expect(hints.length).toBeGreaterThan(20);
    expect(hints.map((h) => h.line)).toContain("otto-tray pool renew --identity ${allocation.identity} --lease ${allocation.leaseId}");
  });

  const lines = [...new Set(hints.map((h) => h.line))].map((line) => [line, [...new Set(hints.filter((h) => h.line === line).map((h) => h.file))].join(", ")]);
  it.each(lines)("%s (in %s) parses, with every option its usage requires", (line) => {
    const dir = makeTempDir("otto-hint-");
    const words = line.split(" ").slice(1);
    const args = words.map((w) => substitute(w, dir));
    const result = runCli([...args, "--help"], { cwd: dir, env: { HOME: dir, OTTO_TRAY_HOME: join(dir, "home"), ZETA_BUS_DIR: join(dir, "bus") } });
    expect(result.stderr).not.toMatch(/unknown|unexpected|usage error/i);
    expect(result.code, `${line}: ${result.stderr}`).toBe(0);
    for (const option of requiredOptions(result.stdout, words)) expect(words, `${line} lacks ${option}`).toContain(option);
  });
});
