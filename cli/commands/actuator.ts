// `otto-tray actuator`: the safety switch and auto mode (status, on --confirm, off, auto on --hours N --confirm, auto off).
import { recordDecision } from "../../core/actuator/record";
import type { ActuatorPolicy } from "../../core/actuator/policy/context";
import { policyFingerprint } from "../../core/actuator/policy/policy-fingerprint";
import { armAutoMode, autoModeActive, disarmAutoMode, readSwitch, type SwitchState, switchView, turnSwitchOff, turnSwitchOn } from "../../core/actuator/state/safety-switch";
import { readActuatorPolicy } from "../../core/prefs/actuator-file";
import { policyProblems } from "../../core/prefs/policy-problems";
import { terminalSafe } from "../../core/text/terminal-safe";
import { ExitCode, UsageError } from "../../core/errors";
import { parseCommandArgs, parseSecondsOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { writeJson } from "../output";
import { JUDGE_USAGE, runJudge } from "./actuator-judge";

export const subcommands = ["status", "on", "off", "auto", "judge"] as const;

const USAGE = `usage: otto-tray actuator status [--json]
       otto-tray actuator on --confirm      allow Otto Tray to answer prompts, each after a confirmation
       otto-tray actuator off               stop everything at once (plans already made included)
       otto-tray actuator auto on --hours N --confirm
                                            answer allowlisted prompts that stood unanswered, for N hours
       otto-tray actuator auto off
       otto-tray actuator judge [--auto] [--cwd DIR] [--json] -- TEXT
                                            what auto mode (--auto) or a confirmation would do with TEXT
`;

function describe(state: SwitchState, now: number, policy: ActuatorPolicy): string {
  const auto = autoModeActive(state, now) ? `armed until ${state.autoUntil}` : `off${state.disarmed ? ` (${state.disarmed.reason})` : ""}`;
  return `safety switch: ${state.on ? `ON since ${state.since}` : "off"}${state.problem ? ` (${state.problem})` : ""}\nauto mode: ${auto}\n${policyProblems(policy).map((p) => `${p}\n`).join("")}`;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { confirm: { type: "boolean" }, hours: { type: "string" }, json: { type: "boolean" }, auto: { type: "boolean" }, cwd: { type: "string" } });
  const [sub = "status", action, ...rest] = positionals;
  if (values.help) {
    io.stdout.write(sub === "judge" ? JUDGE_USAGE : USAGE);
    return ExitCode.ok;
  }
  const context = resolveContext(values, io.env);
  if (sub === "judge") return runJudge(positionals.slice(1), values, context, io);
  if (values.auto !== undefined || values.cwd !== undefined) throw new UsageError("--auto and --cwd belong to actuator judge", "run otto-tray actuator judge --help");
  // The actuator section as the actuator reads it (failing closed): named problems, and what auto mode is armed with.
  const policy = readActuatorPolicy(context.prefsFile);
  const record = { homeDir: context.homeDir, busDir: await context.busDir() };
  const audit = (event: string, reason: string) => recordDecision(record, { surface: null, backend: null, event, prompt: null, decision: "info", reason });
  let state: SwitchState;
  if (sub === "status" && action === undefined) state = readSwitch(context.homeDir);
  else if (sub === "on" && action === undefined) {
    if (!values.confirm) {
      io.stderr.write("otto-tray actuator on: this lets Otto Tray press keys and buttons to answer permission prompts (a single-use Yes, never for blocked commands), each time after you confirm a plan. Run again with --confirm to turn it on.\n");
      return ExitCode.refused;
    }
    state = turnSwitchOn(context.homeDir, true);
    audit("switch-on", "the safety switch was turned on (confirmed)");
  } else if (sub === "off" && action === undefined) {
    state = turnSwitchOff(context.homeDir);
    audit("switch-off", "the safety switch was turned off");
  } else if (sub === "auto" && action === "on" && rest.length === 0) {
    const hours = parseSecondsOption(values.hours, "hours", 24);
    if (hours === undefined || hours <= 0) throw new UsageError("--hours is required (more than 0, at most 24)", "e.g. otto-tray actuator auto on --hours 8 --confirm");
    if (!readSwitch(context.homeDir).on) {
      io.stderr.write("otto-tray actuator auto on: refused (switch-off): turn the safety switch on first (otto-tray actuator on --confirm)\n");
      return ExitCode.refused;
    }
    if (policy.problem !== null) {
      io.stderr.write(`otto-tray actuator auto on: refused (blocked): the actuator preferences cannot be used (${terminalSafe(policy.problem)})\n`);
      return ExitCode.refused;
    }
    if (!values.confirm) {
      io.stderr.write(`otto-tray actuator auto on: for ${hours} h, Otto Tray will answer "Yes" without asking to prompts that stood unanswered while another surface worked, only for commands on the auto allowlist. Run again with --confirm to arm it.\n`);
      return ExitCode.refused;
    }
    state = armAutoMode(context.homeDir, hours, true, policyFingerprint(policy));
    audit("auto-on", `auto mode armed until ${state.autoUntil} (confirmed)`);
  } else if (sub === "auto" && action === "off" && rest.length === 0) {
    state = disarmAutoMode(context.homeDir);
    audit("auto-off", "auto mode was turned off");
  } else throw new UsageError(`unknown actuator command ${JSON.stringify(positionals.join(" "))}`, "run otto-tray actuator --help");
  if (values.json) writeJson(io.stdout, { ...switchView(state, Date.now()), policy: { problem: policy.problem, dropped: policy.dropped } }, true);
  else io.stdout.write(describe(state, Date.now(), policy));
  return ExitCode.ok;
}
