// Command table and dispatcher of `otto-tray`: one lazily loaded module per command, errors mapped to exit codes.
import { describeError, ExitCode, OttoError } from "../core/errors";
import type { CliIO } from "./context";

/** A command module's entry: returns the exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

// Lazy imports keep `otto-tray hook` (run on every tool call) from loading the detector or the pool.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
  status: { summary: "one-shot snapshot of every surface", load: () => import("./commands/status") },
  detect: { summary: "run the detector: watch the bus, publish escalations", load: () => import("./commands/detect") },
  heartbeat: { summary: "publish a heartbeat for a surface", load: () => import("./commands/heartbeat") },
  hook: { summary: "Claude Code hook handler (reads the event on stdin)", load: () => import("./commands/hook") },
  hooks: { summary: "install or uninstall the Claude Code hooks", load: () => import("./commands/hooks") },
  bus: { summary: "list or clean bus envelopes", load: () => import("./commands/bus") },
  pool: { summary: "worktree pool: init, allocate, release, with, status, prune, doctor", load: () => import("./commands/pool") },
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
    "global options: --bus-dir DIR  --config FILE  --home DIR  --help",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`otto-tray: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return ExitCode.usage;
  }
  try {
    const module = await command.load();
    return await module.run(rest, io);
  } catch (error) {
    if (error instanceof OttoError) {
      io.stderr.write(`otto-tray ${name}: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`);
      return error.exitCode;
    }
    io.stderr.write(`otto-tray ${name}: ${describeError(error)}\n`);
    if (io.env.OTTO_TRAY_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return ExitCode.failure;
  }
}

