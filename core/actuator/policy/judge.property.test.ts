// Property: auto mode allows a text only when its syntax tree is exactly one allowlisted command. Texts are built from
// allowlisted argv, quoted every way the shell allows, then joined with separators, comments, newlines, redirections,
// subshells and expansions: none of those may be allowed, and no text holding `rm` is ever allowed in either mode.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { DEFAULT_TEMPLATES } from "./context";
import { type JudgeContext, judgeCommandText } from "./judge";
import { loadShellParser } from "./shell-parser";

const ALLOWED_ARGV: readonly string[][] = [
  ["npm", "test"],
  ["git", "status"],
  ["git", "status", "--short"],
  ["git", "diff", "--stat", "HEAD~1"],
  ["git", "log", "--oneline", "-n", "5"],
  ["git", "show", "HEAD"],
  ["pytest", "-q", "tests"],
  ["pytest", "-k", "not slow"],
  ["cargo", "test"],
  ["go", "test", "./..."],
  ["make", "test"],
];

// Each word quoted a way that keeps its value: bare (when safe), single quotes, double quotes, or backslashes.
const quoted = (word: string) =>
  fc.constantFrom(
    ...[/^[A-Za-z0-9._/~-]+$/.test(word) && !word.startsWith("~") ? word : `'${word}'`, `'${word}'`, `"${word}"`, word.replace(/([^A-Za-z0-9])/g, "\\$1").replace(/^([A-Za-z])/, "\\$1")],
  );
const commandText = fc.constantFrom(...ALLOWED_ARGV).chain((argv) => fc.tuple(...argv.map(quoted)).map((words) => words.join(" ")));

const SEPARATORS = [";", "&&", "||", "|", "&", "\n", "; ", " & ", "\n\n", " # note\n", "\r\n"];
const EXPANSIONS = ["$HOME", "${HOME}", "$(id)", "`id`", "*", "?", "[ab]", "~", "~/x", "{a,b}", "{1..2}", "<(id)", ">(id)", "$((1))", "\"$HOME\"", "$'\\x41'"];

/** Texts that are not exactly one allowlisted command, each built from allowlisted pieces. */
const composite = fc.oneof(
  fc.tuple(commandText, fc.constantFrom(...SEPARATORS), commandText).map(([a, sep, b]) => `${a}${sep}${b}`),
  fc.tuple(commandText, fc.constantFrom(" # run the tests", " #x", " #", "\t#x")).map(([a, comment]) => `${a}${comment}`),
  fc.tuple(commandText, fc.constantFrom(";", "&", "\n", " ;")).map(([a, end]) => `${a}${end}`),
  fc.tuple(commandText, fc.constantFrom("> out.log", ">> out.log", "2> err", "< in.txt", "&> all", "<<< x", "2>&1")).map(([a, r]) => `${a} ${r}`),
  commandText.map((a) => `(${a})`),
  commandText.map((a) => `{ ${a}; }`),
  commandText.map((a) => `if true; then ${a}; fi`),
  commandText.map((a) => `nice ${a}`),
  commandText.map((a) => `X=1 ${a}`),
  fc.tuple(commandText, fc.constantFrom(...EXPANSIONS)).map(([a, e]) => `${a} ${e}`),
  fc.tuple(commandText, fc.constantFrom(...EXPANSIONS)).map(([a, e]) => a.replace(/ /, ` ${e}`)),
);

let context: JudgeContext;
beforeAll(async () => {
  await loadShellParser();
  const project = makeTempDir("otto-judge-prop-");
  mkdirSync(join(project, "tests"));
  context = { projectDir: project, mode: "auto", autoAllowlist: DEFAULT_TEMPLATES };
});

describe("auto mode judges the syntax tree (property)", () => {
  it("allows every allowlisted argv however it is quoted", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const judged = judgeCommandText(text, context);
        expect(judged.verdict, `${JSON.stringify(text)}: ${judged.reason}`).toBe("allowed");
      }),
      { numRuns: 400 },
    );
  });

  it("never allows a text that is more or other than one allowlisted command", () => {
    fc.assert(
      fc.property(composite, (text) => {
        const judged = judgeCommandText(text, context);
        expect(judged.verdict, JSON.stringify(text)).not.toBe("allowed");
      }),
      { numRuns: 2000 },
    );
  });

  it("never allows, in either mode, a text with rm anywhere it runs", () => {
    const withRm = fc.tuple(commandText, fc.constantFrom(...SEPARATORS, " # x\n"), fc.constantFrom("rm -rf ../victim", "RM x", "/bin/rm x", "\\rm x", "'rm' x", "nice rm x", "time rm x")).map(([a, sep, rm]) => `${a}${sep}${rm}`);
    fc.assert(
      fc.property(withRm, fc.constantFrom("manual" as const, "auto" as const), (text, mode) => {
        expect(judgeCommandText(text, { ...context, mode }).verdict, JSON.stringify(text)).not.toBe("allowed");
      }),
      { numRuns: 1000 },
    );
  });
});
