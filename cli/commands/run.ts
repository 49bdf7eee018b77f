// `otto-tray run --surface ID -- CMD`: hosts CMD in a pty (terminal passed through, or headless), keeps its screen,
// publishes what it shows, and carries out confirmed plans. Exit: CMD's code; 125 its own failure; 126/127 as env.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { allowlistOf } from "../../core/actuator/policy/context";
import { PtyHost } from "../../core/actuator/pty/host";
import { screenReaderFor } from "../../core/actuator/screen/reader-for-agent";
import { UsageError } from "../../core/errors";
import { parseSurfaceId } from "../../core/ids";
import { parseCommandArgs, requireOption, splitAtDoubleDash } from "../args";
import { type CliIO, resolveContext } from "../context";

const USAGE = `usage: otto-tray run --surface ID [--bus-dir DIR] [--home DIR] [--config FILE] -- CMD [ARGS...]
  Hosts CMD in a pseudo-terminal: a person using it in a terminal should not notice; without a terminal it runs
  headless. Otto Tray reads its screen the way the surface's agent draws it (Claude Code's or Gemini CLI's dialog;
  Codex's screen is not read, its hooks speak for it), publishes heartbeats for the surface, and answers a prompt
  only through a confirmed plan (otto-tray unstick). Exit: CMD's exit code; 125 if run itself fails; 126 if CMD cannot
  be executed; 127 if it is not found.
`;

/** Where `command` would be executed from, or why it cannot be (126: not executable, 127: not found). */
function locate(command: string, cwd: string, env: NodeJS.ProcessEnv): { path: string } | { code: 126 | 127; why: string } {
  const candidates = command.includes("/") ? [isAbsolute(command) ? command : resolve(cwd, command)] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  let found: string | undefined;
  for (const path of candidates) {
    try {
      if (!statSync(path).isFile()) continue;
      found ??= path;
      accessSync(path, constants.X_OK);
      return { path };
    } catch {
      // Not here, or not executable: keep looking along PATH.
    }
  }
  return found !== undefined ? { code: 126, why: `${found} is not executable` } : { code: 127, why: `${command}: command not found` };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { before, after } = splitAtDoubleDash(argv);
  const { values, positionals } = parseCommandArgs(before, { surface: { type: "string" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0 || after === undefined || after.length === 0) throw new UsageError("expected -- CMD [ARGS...]", "e.g. otto-tray run --surface otto-cli -- claude");
  const surface = parseSurfaceId(requireOption(values.surface, "surface", "ID"), "--surface");
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = await context.prefs();
  const cwd = process.cwd();
  const [command = "", ...args] = after;
  const located = locate(command, cwd, io.env);
  if ("code" in located) {
    io.stderr.write(`otto-tray run: ${located.why}\n`);
    return located.code;
  }
  const tty = process.stdin.isTTY && process.stdout.isTTY;
  let host: PtyHost;
  try {
    host = new PtyHost({
      homeDir: context.homeDir,
      busDir: await context.busDir(),
      surface,
      command: located.path,
      args,
      cwd,
      env: { ...io.env, OTTO_TRAY_SURFACE: surface },
      policy: { projectDir: cwd, autoAllowlist: allowlistOf(prefs).templates, extraBlocklist: prefs.actuator.blocklist },
      // The screen is read the way the surface's agent draws it (preferences; Claude Code unless said).
      reader: screenReaderFor(prefs.surfaces.find((s) => s.id === surface)?.agent ?? "claude-code"),
      input: process.stdin,
      output: process.stdout,
      ...(tty ? { terminal: { input: process.stdin, output: process.stdout } } : {}),
    });
    await host.start();
  } catch (error) {
    io.stderr.write(`otto-tray run: cannot host ${command}: ${(error as Error).message}\n`);
    return 125;
  }
  // Signals meant for the session go to CMD; run ends when CMD does.
  const forward = (signal: NodeJS.Signals) => () => host.kill(signal);
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) process.on(signal, forward(signal));
  const code = await host.exited;
  await host.stop(code);
  if (tty && process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  return code;
}
