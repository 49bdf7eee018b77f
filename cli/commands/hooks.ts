// `otto-tray hooks install|uninstall`: merges the hook handler into Claude Code's settings.json, or takes it out again.
import { existsSync, realpathSync } from "node:fs";
import { userHome } from "../../core/fs/user-home";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../core/errors";
import { parseSurfaceId } from "../../core/ids";
import { readSettings, writeSettings } from "../../core/hooks/settings-file";
import { buildHookCommand, type HooksChange, installHooks, SettingsShapeError, shellQuote, uninstallHooks } from "../../core/hooks/settings";
import { parseCommandArgs, requireOption } from "../args";
import type { CliIO } from "../context";
import { writeJson } from "../output";

export const USAGE = `usage: otto-tray hooks install   --surface ID [--settings FILE] [--command CMD] [--json]
       otto-tray hooks uninstall --surface ID [--settings FILE] [--json]

Adds to (or removes from) Claude Code's settings a handler that runs
\`otto-tray hook --surface ID --pid "$PPID"\` on SessionStart, UserPromptSubmit, PreToolUse,
PostToolUse, Stop, Notification and SessionEnd. Every other hook and setting is kept; the file
is replaced atomically and its previous content saved as FILE.otto-tray.bak. Installing twice
changes nothing; uninstall removes only the entries install added for that surface.

  --surface ID      the surface the heartbeats are for (e.g. otto-cli)
  --settings FILE   default $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json
  --command CMD     what runs otto-tray, as shell text (default: this checkout's bin/otto-tray
                    by absolute path)
  --json            print the result as JSON
  --bus-dir, --home, --config given to install are passed on to the handler (as absolute paths).

Exit 0 done (or nothing to do), 2 bad arguments or a settings file that is not a JSON object
(left untouched), 1 the file could not be read or written.
`;

/** The default settings file: Claude Code's config directory (`$CLAUDE_CONFIG_DIR`, else ~/.claude). */
export function defaultSettingsFile(env: NodeJS.ProcessEnv): string {
  if (env.CLAUDE_CONFIG_DIR) return join(env.CLAUDE_CONFIG_DIR, "settings.json");
  return join(userHome(env), ".claude", "settings.json");
}

/**
 * The checkout's `bin/otto-tray`: the first ancestor of this module holding it. The module is a chunk under
 * dist/cli/ when bundled and cli/commands/ in tests, so the depth differs; searching covers both.
 */
export function resolveOttoTrayBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "bin", "otto-tray");
    if (existsSync(candidate)) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const invoked = process.argv[1];
  if (invoked !== undefined && existsSync(invoked)) return realpathSync(invoked);
  throw new UsageError("cannot find bin/otto-tray next to this build", "pass --command with the command that runs otto-tray");
}

function list(events: readonly string[]): string {
  return events.length === 0 ? "-" : events.join(", ");
}

/** The subcommands, for the dispatcher's error prefix. */
export const subcommands = ["install", "uninstall"] as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    surface: { type: "string" },
    settings: { type: "string" },
    command: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action !== "install" && action !== "uninstall") {
    throw new UsageError(`expected install or uninstall, got ${JSON.stringify(action ?? null)}`, "run otto-tray hooks --help");
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, "run otto-tray hooks --help");
  const surface = parseSurfaceId(requireOption(values.surface, "surface", "ID"), "--surface");
  if (action === "uninstall" && values.command !== undefined) throw new UsageError("--command: only install takes it", "uninstall finds its entries by surface");
  if (values.command !== undefined && values.command.trim() === "") throw new UsageError("--command: must not be empty", "e.g. --command /opt/otto-tray/bin/otto-tray");
  const settingsFile = resolve(values.settings ?? defaultSettingsFile(io.env));

  const document = readSettings(settingsFile);
  let change: HooksChange;
  let command: string | undefined;
  try {
    if (action === "install") {
      const passOn: string[] = [];
      for (const name of ["bus-dir", "home", "config"] as const) {
        const value = values[name];
        if (value !== undefined && value !== "") passOn.push(`--${name}`, resolve(value));
      }
      command = buildHookCommand(values.command ?? shellQuote(resolveOttoTrayBin()), surface, passOn);
      change = installHooks(document.value, surface, command);
    } else {
      change = uninstallHooks(document.value, surface);
    }
  } catch (error) {
    if (error instanceof SettingsShapeError) throw new UsageError(`${settingsFile}: ${error.message}; left untouched`, "fix the hooks section by hand");
    throw error;
  }
  const backup = change.changed ? writeSettings(document, change.settings) : undefined;

  if (values.json) {
    writeJson(io.stdout, {
      action,
      surface,
      settingsFile: document.path,
      changed: change.changed,
      added: change.added,
      updated: change.updated,
      removed: change.removed,
      backup: backup ?? null,
      command: command ?? null,
    });
    return 0;
  }
  const verb = action === "install" ? "installed" : "uninstalled";
  if (!change.changed) {
    io.stdout.write(`hooks for ${surface} already ${verb} in ${document.path}; nothing changed\n`);
    return 0;
  }
  const lines = [`hooks for ${surface} ${verb} in ${document.path}`];
  if (action === "install") lines.push(`  added:   ${list(change.added)}`, `  updated: ${list(change.updated)}`, `  command: ${command ?? ""}`);
  else lines.push(`  removed from: ${list(change.removed)}`);
  if (backup !== undefined) lines.push(`  backup:  ${backup}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
