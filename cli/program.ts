// Command table and dispatcher of `otto-tray`: one lazily loaded module per command, errors mapped to exit codes.
import { describeError, ExitCode, OttoError } from "../core/errors";
import { terminalSafeLines } from "../core/text/terminal-safe";
import type { CliIO } from "./context";
import { unknownNameHint } from "./suggest";

// Set by the build (scripts/build-cli.mjs); absent when the sources run unbundled.
declare const __OTTO_TRAY_VERSION__: string | undefined;
const VERSION = typeof __OTTO_TRAY_VERSION__ === "string" ? __OTTO_TRAY_VERSION__ : "0.0.0-dev";

/** A command module's entry: returns the exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

/** What a command module exports: its entry, and the names of its subcommands if it has any. */
interface CommandModule {
  run: CommandRun;
  subcommands?: readonly string[];
}

// Lazy imports keep `otto-tray hook` (run on every tool call) from loading the detector or the pool.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  status: { summary: "one-shot snapshot of every surface", load: () => import("./commands/status") },
  detect: { summary: "run the detector: watch the bus, publish escalations", load: () => import("./commands/detect") },
  heartbeat: { summary: "publish a heartbeat for a surface", load: () => import("./commands/heartbeat") },
  hook: { summary: "Claude Code hook handler (reads the event on stdin)", load: () => import("./commands/hook") },
  hooks: { summary: "install, uninstall or check the Claude Code hooks", load: () => import("./commands/hooks") },
  bus: { summary: "list or clean bus envelopes", load: () => import("./commands/bus") },
  run: { summary: "host a program in a pty so its prompts can be read and answered", load: () => import("./commands/run") },
  sessions: { summary: "list every Claude Code session (its own registry) and those otto-tray run hosts", load: () => import("./commands/sessions") },
  actuator: { summary: "the safety switch and auto mode", load: () => import("./commands/actuator") },
  unstick: { summary: "plan, then confirm, answering a stuck surface's prompt", load: () => import("./commands/unstick") },
  audit: { summary: "the actuator's audit log", load: () => import("./commands/audit") },
  doctor: { summary: "check the actuator's preferences and the safety switch", load: () => import("./commands/doctor") },
  serve: { summary: "the dashboard (popover and preferences) on localhost", load: () => import("./commands/serve") },
  bridge: { summary: "join other machines through NATS JetStream: surfaces out, theirs in", load: () => import("./commands/bridge") },
  pool: { summary: "worktree pool: init, allocate, release, renew, with, status, refresh, prune, doctor, rescued", load: () => import("./commands/pool") },
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]?.summary ?? ""}`);
  return [
    "usage: otto-tray <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "global options: --bus-dir DIR  --config FILE  --home DIR  --help  --version (-v)",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-V" || name === "-v" || name === "version") {
    io.stdout.write(`otto-tray ${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    const hint = unknownNameHint(name, Object.keys(COMMANDS), "otto-tray --help");
    io.stderr.write(`otto-tray: unknown command ${JSON.stringify(terminalSafeLines(name))}\n  hint: ${hint}\n`);
    return ExitCode.usage;
  }
  let prefix = `otto-tray ${name}`;
  try {
    const module = await command.load();
    // Errors name the subcommand too ("otto-tray pool with: …"); messages themselves never repeat it.
    if (rest[0] !== undefined && module.subcommands?.includes(rest[0])) prefix += ` ${rest[0]}`;
    return await module.run(rest, io);
  } catch (error) {
    reportError(io, prefix, error);
    return error instanceof OttoError ? error.exitCode : ExitCode.failure;
  }
}

/** One error on stderr: the command, what went wrong, what to do; text from outside made terminal-safe. */
function reportError(io: CliIO, prefix: string, error: unknown): void {
  const message = terminalSafeLines(describeError(error));
  const hint = error instanceof OttoError && error.hint ? `  hint: ${terminalSafeLines(error.hint)}\n` : "";
  io.stderr.write(`${prefix}: ${message}\n${hint}`);
  if (!(error instanceof OttoError) && io.env.OTTO_TRAY_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
}

