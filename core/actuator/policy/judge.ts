// Judges a command text as the shell would run it: every simple command found by the Bash grammar, the program each
// really runs, the blocklist (built-in and the person's), and in auto mode the exact argv templates.
import { resolve } from "node:path";
import { templateMismatch } from "./argv-template";
import type { ArgvTemplate } from "./argv-template-schema";
import { blockVerdict } from "./blocklist";
import { insideProject, type WorkingDirs, workingDirs } from "./project-paths";
import { type RealProgram, resolveProgram } from "./resolve-program";
import { readShell, type ShellCommand } from "./shell-syntax";
import { userBlocklistMatch } from "./user-blocklist";

export type Verdict = "allowed" | "blocked" | "unjudgeable" | "not-allowlisted";

/** One simple command found in the text, with the program that would run and the verdict on it. */
export interface CommandJudgement {
  source: string;
  argv: string[];
  /** The program that really runs (after wrappers and runners), or null when it could not be found. */
  program: string | null;
  via: string[];
  verdict: Verdict;
  reason: string;
}

export interface TextJudgement {
  verdict: Verdict;
  reason: string;
  commands: CommandJudgement[];
}

export interface JudgeContext {
  /** The directory the command runs in; null when unknown (every write is then outside). */
  projectDir: string | null;
  mode: "manual" | "auto";
  autoAllowlist: readonly ArgvTemplate[];
  extraBlocklist?: readonly string[];
  /** Why the preferences' actuator section cannot be used: the text is then refused as blocked, whatever it holds. */
  problem?: string | null;
}

/** What a person reads when the actuator preferences cannot be used (an invalid section never falls back to a wider one). */
export function unusableReason(problem: string): string {
  return `the actuator preferences cannot be used, so nothing is answered until they are fixed: ${problem}`;
}

const CHANGES_DIR = new Set(["cd", "pushd", "popd"]);
const MAX_CWDS = 32;

export function judgeCommandText(text: string, context: JudgeContext): TextJudgement {
  const syntax = readShell(text);
  if (!syntax.ok) return { verdict: "unjudgeable", reason: `the command cannot be judged: ${syntax.reason}`, commands: [] };
  const resolved = syntax.commands.map((command) => ({ command, resolution: command.argv.length === 0 ? undefined : resolveProgram(command.argv, context.projectDir) }));
  const dirs = directoriesOf(resolved.map((r) => (r.resolution?.ok ? r.resolution.program : undefined)), context.projectDir);
  const commands = resolved.map(({ command, resolution }): CommandJudgement => {
    const base = { source: command.source, argv: command.argv, program: resolution?.ok ? resolution.program.name : null, via: resolution?.ok ? resolution.program.via : [] };
    if (resolution !== undefined && !resolution.ok) return { ...base, verdict: resolution.refusal, reason: resolution.reason };
    if (typeof dirs === "string") return { ...base, verdict: "blocked", reason: dirs };
    return { ...base, ...judgeOne(command, resolution?.ok ? resolution.program : { name: "", args: [], via: [] }, dirs, context, syntax.single) };
  });
  const worst = (["blocked", "unjudgeable", "not-allowlisted"] as const).map((v) => commands.find((c) => c.verdict === v)).find((c) => c !== undefined);
  if (context.problem) return { verdict: "blocked", reason: unusableReason(context.problem), commands };
  if (typeof dirs === "string") return { verdict: "blocked", reason: dirs, commands };
  if (worst !== undefined) return { verdict: worst.verdict, reason: worst.reason, commands };
  return { verdict: "allowed", reason: context.mode === "auto" ? "exactly one command, on auto mode's allowlist" : "a single-use yes to commands on no blocklist", commands };
}

function judgeOne(command: ShellCommand, program: RealProgram, dirs: WorkingDirs, context: JudgeContext, single: boolean): { verdict: Verdict; reason: string } {
  const mine = userBlocklistMatch(context.extraBlocklist ?? [], command.argv, [program.name, ...program.args]);
  if (mine !== undefined) return { verdict: "blocked", reason: `it matches your blocklist entry "${mine}"` };
  if (command.argv.length === 0 || command.assignments.length > 0) return { verdict: "blocked", reason: "it sets variables for the command (what runs cannot be judged)" };
  const blocked = blockVerdict(command, program, dirs);
  if (blocked !== undefined) return { verdict: blocked.refusal, reason: blocked.reason };
  if (context.mode === "manual") return { verdict: "allowed", reason: "on no blocklist (a person confirms)" };
  return autoVerdict(command, program, dirs, context, single);
}

// Auto mode: the whole text is this one command, run directly (or through a runner to a project binary), no
// redirection, and its argv fits a template exactly.
function autoVerdict(command: ShellCommand, program: RealProgram, dirs: WorkingDirs, context: JudgeContext, single: boolean): { verdict: Verdict; reason: string } {
  const shown = command.argv.join(" ");
  if (!single) return { verdict: "not-allowlisted", reason: "auto mode answers only a text that is exactly one command (no second command, separator, comment, newline or redirection)" };
  const wrapper = program.via.find((v) => !["npx", "bunx", "npm exec", "npm x", "pnpm exec", "yarn exec", "bun x"].includes(v));
  if (wrapper !== undefined) return { verdict: "not-allowlisted", reason: `auto mode does not answer commands run through ${wrapper}` };
  const candidates = context.autoAllowlist.filter((t) => t.program.toLowerCase() === program.name && (program.via.length === 0 || t.viaRunner));
  if (candidates.length === 0) return { verdict: "not-allowlisted", reason: `"${shown}" is not on auto mode's allowlist` };
  const problems = candidates.map((t) => templateMismatch(t, program.args, dirs));
  if (problems.some((p) => p === undefined)) return { verdict: "allowed", reason: "on auto mode's allowlist" };
  return { verdict: "not-allowlisted", reason: `"${shown}" does not fit auto mode's allowlist: ${problems.find((p) => p !== undefined) ?? ""}` };
}

/**
 * Every directory a command in the text may run in: the project and each `cd`/`pushd` target, all of which must be
 * inside it (in any order, from any of the others: a sound over-estimate of where a subshell or branch may be).
 * Returns why the text is blocked when a target leaves the project.
 */
function directoriesOf(programs: (RealProgram | undefined)[], projectDir: string | null): WorkingDirs | string {
  const dirs = workingDirs(projectDir);
  if (dirs.projectDir === null) return dirs;
  const targets: string[] = [];
  for (const program of programs) {
    if (program === undefined || !CHANGES_DIR.has(program.name)) continue;
    if (program.name === "popd") continue;
    const operands = program.args.filter((a) => !/^-[LPe@]+$/.test(a));
    const target = operands[0];
    if (target === undefined || operands.length > 1) return `${program.name} ${operands.join(" ")} goes to the home directory or somewhere unknown: outside the project`;
    if (target === "-") continue;
    targets.push(target);
  }
  const cwds = [...dirs.cwds];
  for (let round = 0; round < targets.length; round++) {
    for (const target of targets) {
      for (const base of [...cwds]) {
        const candidate: WorkingDirs = { projectDir: dirs.projectDir, cwds: [base] };
        if (!insideProject(target, candidate)) return `cd ${target} leaves the project`;
        const normal = resolve(base, target);
        if (!cwds.includes(normal)) cwds.push(normal);
        if (cwds.length > MAX_CWDS) return "it changes directory too many ways to follow";
      }
    }
  }
  return { projectDir: dirs.projectDir, cwds };
}

