// `otto-tray actuator judge [--auto] [--cwd DIR] [--json] -- TEXT`: what the policy in force says of a command text,
// command by command, so that a person sees what auto mode (or a confirmation) would do before arming it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isHiddenCodePoint } from "../../core/actuator/policy/hidden-characters";
import type { TextJudgementView } from "../../core/actuator/policy/judge-text";
import { ExitCode, UsageError } from "../../core/errors";
import { readBounded } from "../../core/hooks/read-input";
import type { CliContext, CliIO } from "../context";
import { writeJson } from "../output";

export const JUDGE_USAGE = `usage: otto-tray actuator judge [--auto] [--cwd DIR] [--json] -- TEXT
  Judges TEXT (or stdin when TEXT is absent) as the actuator would: every simple command in it, the program that
  would really run, and the verdict with its reason. Exits 0 when the answer would be given, 5 when it would be refused.
  --auto     judge as auto mode does (exact argv templates, no person); default: manual mode (the blocklist, a person confirms)
  --cwd DIR  the project the command runs in (default: the current directory)
  --json     the judgement as JSON
`;

const MAX_STDIN_BYTES = 400_000;

/** Text a person reads: control and invisible characters become ⟨U+XXXX⟩, line breaks ⏎, nothing reaches the terminal raw. */
export function visible(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\n") out += "⏎";
    else if (ch === "\t") out += "⇥";
    else out += isHiddenCodePoint(cp) ? `⟨U+${cp.toString(16).toUpperCase().padStart(4, "0")}⟩` : ch;
  }
  return out;
}

async function textOf(words: string[]): Promise<string> {
  // Several words after `--` are one command written without quotes: the shell already split it, so join it back.
  if (words.length > 0) return words.join(" ");
  const input = await readBounded(process.stdin, { maxBytes: MAX_STDIN_BYTES, timeoutMs: 30_000 });
  if (input.truncated) throw new UsageError(`the command on stdin is longer than ${MAX_STDIN_BYTES} bytes`, "judge a shorter text");
  // The newline that ends a piped line is not part of the command.
  const text = input.text.replace(/\r?\n$/, "");
  if (text.trim() === "") throw new UsageError("no command to judge", "pass it after --, e.g. otto-tray actuator judge -- 'npm test', or pipe it on stdin");
  return text;
}

function describe(view: TextJudgementView, text: string): string {
  const mode = view.mode === "auto" ? "auto mode (no one confirms: exact argv templates only)" : "manual mode (a person confirms; the blocklist applies)";
  const lines = [`${view.verdict === "allowed" ? "would answer" : `refused (${view.verdict})`}: ${visible(view.reason)}`, `judged as ${mode}, in ${view.projectDir === null ? "an unknown project" : visible(view.projectDir)}`];
  // Refused as a whole (nothing was read from it): show the text itself, every character visible.
  if (view.commands.length === 0) lines.push(`  text: ${visible(text)}`);
  view.commands.forEach((c, i) => {
    const runs = c.program === null ? "runs an unknown program" : `runs ${visible(c.program)}${c.via.length > 0 ? ` (through ${c.via.map(visible).join(", ")})` : ""}`;
    lines.push(`  ${i + 1}. ${visible(c.source)}`, `     ${runs}: ${c.verdict} — ${visible(c.reason)}`);
  });
  return `${lines.join("\n")}\n`;
}

export async function runJudge(words: string[], values: { auto?: boolean | undefined; cwd?: string | undefined; json?: boolean | undefined }, context: CliContext, io: CliIO): Promise<number> {
  const projectDir = resolve(values.cwd ?? process.cwd());
  if (!existsSync(projectDir)) throw new UsageError(`--cwd: ${projectDir} does not exist`, "pass the project directory the command would run in");
  if (context.configFile !== undefined && !existsSync(context.configFile)) throw new UsageError(`--config: cannot read ${context.configFile} (ENOENT)`, "pass the path of a preferences JSON file");
  const text = await textOf(words);
  // An actuator section that cannot be used is judged as the actuator would: refused, saying why (not a usage error).
  const { readActuatorPolicy } = await import("../../core/prefs/actuator-file");
  const { judgeText } = await import("../../core/actuator/policy/judge-text");
  const view = await judgeText(text, { policy: readActuatorPolicy(context.prefsFile), mode: values.auto ? "auto" : "manual", projectDir });
  if (values.json) writeJson(io.stdout, view, true);
  else io.stdout.write(describe(view, text));
  return view.verdict === "allowed" ? ExitCode.ok : ExitCode.refused;
}
