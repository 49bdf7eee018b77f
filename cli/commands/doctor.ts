// `otto-tray doctor`: checks the preferences (each key that fell back), what the actuator will use (its section unusable,
// or old allowlist entries dropped), the safety switch (unreadable, or auto mode disarmed and why), and every live Claude
// Code session whose hooks were installed for another surface than its rule names. Exits 6 on problems.
import { readSwitch } from "../../core/actuator/state/safety-switch";
import { ExitCode } from "../../core/errors";
import { readActuatorPolicy } from "../../core/prefs/actuator-file";
import { policyProblems } from "../../core/prefs/policy-problems";
import { describeHookRuleConflict, hookRuleConflicts } from "../../core/sessions/hook-rule-conflicts";
import { terminalSafe } from "../../core/text/terminal-safe";
import { noPositionals, parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { writeJson } from "../output";

const USAGE = `usage: otto-tray doctor [--json]
  Checks the preferences (every key not used as written), their actuator section and the safety switch, and
  that every live Claude Code session's hooks were installed for the surface its rule names; names every problem
  and what to do.
  Exits 0 when there is none, 6 when problems are found.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "doctor");
  const context = resolveContext(values, io.env);
  const policy = readActuatorPolicy(context.prefsFile, { mustExist: context.configFile !== undefined });
  const state = readSwitch(context.homeDir);
  // Without usable preferences the session rules are not known: say that the sessions were not checked, and why.
  const prefs = await context.prefs().then(
    (p) => ({ ok: true as const, prefs: p }),
    (error: unknown) => ({ ok: false as const, why: (error as Error).message }),
  );
  const conflicts = prefs.ok ? hookRuleConflicts(io.env, context.homeDir, prefs.prefs) : [];
  // A file that is not preferences at all is named by the policy's problem (it cannot be used either).
  const keys = await context.prefsProblems().catch(() => []);
  const problems = [
    ...keys.filter((k) => policy.problem === null || !(k.key === "actuator" || k.key.startsWith("actuator."))).map((k) => `preference not used as written: ${k.line}`),
    ...policyProblems(policy),
    ...(state.problem === null ? [] : [`safety switch unreadable (it reads as off): ${state.problem}`]),
    ...(state.disarmed ? [`auto mode disarmed at ${state.disarmed.at}: ${state.disarmed.reason}`] : []),
    ...(prefs.ok ? [] : [`Claude Code sessions not checked against their hooks: ${prefs.why}`]),
    ...conflicts.map(describeHookRuleConflict),
  ];
  if (values.json) writeJson(io.stdout, { preferences: context.prefsFile ?? null, problems, policy: { problem: policy.problem, dropped: policy.dropped }, hookRuleConflicts: conflicts }, true);
  else io.stdout.write(problems.length === 0 ? "no problems found\n" : problems.map((p) => `- ${terminalSafe(p)}\n`).join(""));
  return problems.length === 0 ? ExitCode.ok : ExitCode.problemsLeft;
}
