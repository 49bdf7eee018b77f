// `otto-tray unstick plan|confirm`: shows exactly what would be done to unstick a surface, and does it once confirmed.
import { confirmUnstick, planUnstick } from "../../core/actuator/unstick";
import { ExitCode, UsageError } from "../../core/errors";
import { parseSurfaceId } from "../../core/ids";
import { unstickConfirm } from "../../core/text/confirm-text";
import { terminalSafe } from "../../core/text/terminal-safe";
import { visibleLine } from "../../core/text/visible-text";
import { parseCommandArgs, requireOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { writeJson } from "../output";
import { unknownNameHint } from "../suggest";

export const subcommands = ["plan", "confirm"] as const;

const USAGE = `usage: otto-tray unstick plan --surface ID [--json]
       otto-tray unstick confirm PLAN_ID [--json]
  plan     looks at the surface and prints what exactly would be done (prompt, answer, key) and a plan id that
           expires in a minute and works once
  confirm  carries the plan out: the session reads its screen again and refuses if anything changed
  Exit 5 when the safety model refuses, with the reason (switch-off, no-prompt, blocked, plan-used, …).
`;

/**
 * The prompt's text as the dialogs show it: whole, every line numbered behind a gutter (so that no line of it can pass
 * for a line of this output), every control or invisible character a token (␛, ␍, <U+200B>; core/text/visible-text.ts).
 */
function commandLines(subject: { label: string; text: string } | undefined): string[] {
  if (subject === undefined) return [];
  const lines = subject.text.split("\n");
  const width = String(lines.length).length;
  return [`  ${subject.label}:`, ...lines.map((line, i) => `  ${String(i + 1).padStart(width)} │ ${line}`)];
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { surface: { type: "string" }, json: { type: "boolean" } });
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    (sub === undefined && !values.help ? io.stderr : io.stdout).write(USAGE);
    return sub === undefined && !values.help ? ExitCode.usage : ExitCode.ok;
  }
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const ctx = { homeDir: context.homeDir, busDir: await context.busDir(), prefs: await context.prefs() };
  if (sub === "plan") {
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    const surface = parseSurfaceId(requireOption(values.surface, "surface", "ID"), "--surface");
    const outcome = await planUnstick(ctx, surface);
    if (values.json) writeJson(io.stdout, outcome.ok ? outcome.plan : outcome, true);
    else if (outcome.ok) {
      const p = outcome.plan;
      io.stdout.write(
        [
          `plan ${p.planId} (expires ${p.expiresAt})`,
          `  surface:  ${p.surface} (${p.backend}, ${"sessionId" in p.target ? `session ${p.target.sessionId}` : `app ${p.target.app}, window ${terminalSafe(p.target.window.name)}`})`,
          ...commandLines(unstickConfirm(p).subject),
          `  question: ${visibleLine(p.prompt.question)}`,
          `  answer:   "${visibleLine(p.action.answer)}" with ${visibleLine(p.action.keys)}`,
          p.switchOn ? `confirm with: otto-tray unstick confirm ${p.planId}` : "the safety switch is OFF: confirm will be refused until it is on (otto-tray actuator on --confirm)",
          "",
        ].join("\n"),
      );
    } else io.stderr.write(`refused (${outcome.refusal}): ${terminalSafe(outcome.reason)}\n`);
    return outcome.ok ? ExitCode.ok : ExitCode.refused;
  }
  if (sub === "confirm") {
    const planId = rest[0];
    if (planId === undefined || rest.length > 1) throw new UsageError("confirm takes exactly one PLAN_ID", "otto-tray unstick confirm PLAN_ID");
    const result = await confirmUnstick(ctx, planId);
    if (values.json) writeJson(io.stdout, result, true);
    else if (result.ok) io.stdout.write(`answered "${terminalSafe(result.pressed)}"\n`);
    else io.stderr.write(`refused (${result.refusal}): ${terminalSafe(result.reason)}\n`);
    return result.ok ? ExitCode.ok : ExitCode.refused;
  }
  throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`, unknownNameHint(sub, subcommands, "otto-tray unstick --help"));
}
