// `otto-tray actuator`: the safety switch and auto mode (status, on --confirm, off, auto on --hours N --confirm, auto off).
import type { ActuatorPolicy } from "../../core/actuator/policy/context";
import { policyFingerprint } from "../../core/actuator/policy/policy-fingerprint";
import { armAutoMode, autoModeActive, disarmAutoMode, readSwitch, type SwitchState, switchView, turnSwitchOff, turnSwitchOn } from "../../core/actuator/state/safety-switch";
import { readActuatorPolicy } from "../../core/prefs/actuator-file";
import { policyProblems } from "../../core/prefs/policy-problems";
import { terminalSafe } from "../../core/text/terminal-safe";
import { describeError, ExitCode, UsageError } from "../../core/errors";
import { parseAmountOption, parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { writeJson } from "../output";
import { unknownNameHint } from "../suggest";
import { auditAfterSafeAction, strictAudit } from "./actuator-audit";
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
  return `safety switch: ${state.on ? `ON since ${state.since}` : "off"}${state.problem ? ` (${terminalSafe(state.problem)})` : ""}\nauto mode: ${auto}\n${policyProblems(policy).map((p) => `${p}\n`).join("")}`;
}

// Turning on or arming that cannot be done safely (a state directory that is not private, a record that cannot be
// written) leaves the switch as it was: a refusal with the reason, like the others.
function attempt(change: () => SwitchState): { ok: true; value: SwitchState } | { ok: false; reason: string } {
  try {
    return { ok: true, value: change() };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
}

/** A mistyped subcommand (`actuator of`, `auto of`) is refused with a did-you-mean before anything is read or written. */
function assertKnownCommand(sub: string, action: string | undefined): void {
  if (!(subcommands as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown actuator command ${JSON.stringify(sub)}`, unknownNameHint(sub, subcommands, "otto-tray actuator --help"));
  }
  if (sub === "auto" && action !== undefined && action !== "on" && action !== "off") {
    throw new UsageError(`unknown actuator command ${JSON.stringify(`auto ${action}`)}`, unknownNameHint(action, ["on", "off"], "otto-tray actuator --help"));
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { confirm: { type: "boolean" }, hours: { type: "string" }, json: { type: "boolean" }, auto: { type: "boolean" }, cwd: { type: "string" } });
  const [sub = "status", action, ...rest] = positionals;
  if (values.help) {
    io.stdout.write(sub === "judge" ? JUDGE_USAGE : USAGE);
    return ExitCode.ok;
  }
  assertKnownCommand(sub, action);
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  if (sub === "judge") return runJudge(positionals.slice(1), values, context, io);
  if (values.auto !== undefined || values.cwd !== undefined) throw new UsageError("--auto and --cwd belong to actuator judge", "run otto-tray actuator judge --help");
  // The actuator section as the actuator reads it (failing closed): named problems, and what auto mode is armed with.
  const policy = readActuatorPolicy(context.prefsFile);
  const safeDirection = sub === "status" || sub === "off" || (sub === "auto" && action === "off");
  const audit = safeDirection ? () => undefined : await strictAudit(context);
  // Every refusal is one line on stderr, or with --json one object on stdout ({ ok: false, refusal, reason }); exit 5.
  const refuse = (command: string, refusal: string, reason: string, text: string = `refused (${refusal}): ${reason}`) => {
    if (values.json) writeJson(io.stdout, { ok: false, refusal, reason }, true);
    else io.stderr.write(`otto-tray actuator ${command}: ${terminalSafe(text)}\n`);
    return ExitCode.refused;
  };
  let state: SwitchState;
  if (sub === "status" && action === undefined) state = readSwitch(context.homeDir);
  else if (sub === "on" && action === undefined) {
    if (!values.confirm) {
      return refuse("on", "not-confirmed", "turning the safety switch on needs --confirm", "this lets Otto Tray press keys and buttons to answer permission prompts (a single-use Yes, never for blocked commands), each time after you confirm a plan. Run again with --confirm to turn it on.");
    }
    const turned = attempt(() => turnSwitchOn(context.homeDir, true));
    if (!turned.ok) return refuse("on", "error", turned.reason);
    state = turned.value;
    audit("switch-on", "the safety switch was turned on (confirmed)");
  } else if (sub === "off" && action === undefined) {
    // Off is always written (it also ends plans already made); audited only when it changes something: a switch
    // that read on or armed, or whose record could not be read (fail closed: that may have been on).
    const before = readSwitch(context.homeDir);
    state = turnSwitchOff(context.homeDir);
    if (before.on || before.problem !== null || autoModeActive(before, Date.now()) || state.on) {
      await auditAfterSafeAction(context, io, "switch-off", state.on ? `turning the safety switch off failed: ${state.problem ?? "unknown"}` : "the safety switch was turned off");
    }
  } else if (sub === "auto" && action === "on" && rest.length === 0) {
    const hours = parseAmountOption(values.hours, "hours", "hours", 24);
    if (hours === undefined) throw new UsageError("--hours is required (more than 0 hours, at most 24)", "e.g. otto-tray actuator auto on --hours 8 --confirm");
    if (hours <= 0) throw new UsageError(`--hours: ${JSON.stringify(values.hours)} must be more than 0 hours (at most 24)`, "e.g. otto-tray actuator auto on --hours 8 --confirm");
    const current = readSwitch(context.homeDir);
    if (!current.on) return refuse("auto on", "switch-off", `turn the safety switch on first (otto-tray actuator on --confirm)${current.problem === null ? "" : `; it reads as off: ${current.problem}`}`);
    if (policy.problem !== null) return refuse("auto on", "blocked", `the actuator preferences cannot be used (${policy.problem})`);
    if (!values.confirm) {
      return refuse("auto on", "not-confirmed", "arming auto mode needs --confirm", `for ${hours} h, Otto Tray will answer "Yes" without asking to prompts that stood unanswered while another surface worked, only for commands on the auto allowlist. Run again with --confirm to arm it.`);
    }
    const armed = attempt(() => armAutoMode(context.homeDir, hours, true, policyFingerprint(policy)));
    if (!armed.ok) return refuse("auto on", "error", armed.reason);
    state = armed.value;
    audit("auto-on", `auto mode armed until ${state.autoUntil} (confirmed)`);
  } else if (sub === "auto" && action === "off" && rest.length === 0) {
    const before = readSwitch(context.homeDir);
    state = disarmAutoMode(context.homeDir);
    const stillArmed = autoModeActive(state, Date.now());
    if (autoModeActive(before, Date.now()) || before.problem !== null || stillArmed) {
      await auditAfterSafeAction(context, io, "auto-off", stillArmed ? `turning auto mode off failed: ${state.problem ?? "unknown"}` : "auto mode was turned off");
    }
  } else throw new UsageError(`unknown actuator command ${JSON.stringify(positionals.join(" "))}`, "run otto-tray actuator --help");
  if (values.json) writeJson(io.stdout, { ...switchView(state, Date.now()), policy: { problem: policy.problem, dropped: policy.dropped } }, true);
  else io.stdout.write(describe(state, Date.now(), policy));
  // Off and auto off fail only when nothing at all could be written and the switch still reads on (the problem says why).
  const stillOn = (sub === "off" && state.on) || (sub === "auto" && action === "off" && autoModeActive(state, Date.now()));
  if (stillOn) io.stderr.write(`otto-tray actuator ${positionals.join(" ")}: failed: ${terminalSafe(state.problem ?? "the switch still reads on")}\n`);
  return stillOn ? ExitCode.failure : ExitCode.ok;
}
