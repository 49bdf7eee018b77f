// `hooks install` and `uninstall` for Codex and Gemini surfaces: the right file for the agent, under the same kernel lock
// and atomic write (with a backup) as Claude Code's settings, remembered in the state directory for `status`.
import { homedir } from "node:os";
import { parse } from "smol-toml";
import { join, resolve } from "node:path";
import { type Agent, CODEX_PERMISSION_WAIT_MAX_SECONDS } from "../../agents";
import { UsageError } from "../../errors";
import { forgetInstall, rememberInstall } from "../installed-record";
import { changeSettings, withSettingsLock } from "../install";
import { readSettings, readSettingsFileText, readSettingsText, refuseProtectedSettings, writeSettingsText } from "../settings-file";
import { buildHookCommand, type HooksChange, installHooksWith, isOurCommand, SettingsShapeError, uninstallHooks } from "../settings";
import { GEMINI_EVENTS } from "./agent-map";
import { CODEX_EVENTS, hasCodexHooks, installCodexHooks, uninstallCodexHooks } from "./codex-config";
import { geminiProfile } from "./gemini-settings";

/**
 * Codex clamps SessionEnd hooks to 3 s. PermissionRequest may wait for a plan up to the preferences' longest
 * codexPermissionWaitSeconds (the handler ends its own wait first), so changing that needs no reinstall.
 */
export function codexTimeout(event: string): number {
  if (event === "SessionEnd") return 3;
  return event === "PermissionRequest" ? CODEX_PERMISSION_WAIT_MAX_SECONDS + 10 : 10;
}

/** What the person must know after an install, per agent (the CLI and the app say the same). */
export const AGENT_INSTALL_NOTES: Record<Exclude<Agent, "claude-code">, string> = {
  codex: 'Codex skips new or changed hooks until you trust them: start codex and choose "Trust all and continue" at "Hooks need review" (once after each install)',
  gemini: "Gemini CLI's hooks cannot answer its prompts: this surface shows them waiting and escalates them; answer them in Gemini (or host it with otto-tray run)",
};

/** The file an agent's hooks go in: `--settings` when given, else the agent's own (Codex: $CODEX_HOME/config.toml). */
export function agentSettingsFile(agent: Exclude<Agent, "claude-code">, env: NodeJS.ProcessEnv, explicit?: string): string {
  if (explicit !== undefined) return resolve(explicit);
  const home = env.HOME ?? homedir();
  if (agent === "codex") return join(env.CODEX_HOME !== undefined && env.CODEX_HOME !== "" ? resolve(env.CODEX_HOME) : join(home, ".codex"), "config.toml");
  return join(home, ".gemini", "settings.json");
}

export interface AgentHooksResult {
  settingsFile: string;
  changed: boolean;
  /** Events added or taken out (for the person's summary). */
  events: string[];
  backup: string | undefined;
  command: string | undefined;
}

export interface AgentInstallOptions {
  agent: Exclude<Agent, "claude-code">;
  settingsFile: string;
  surface: string;
  executable: string;
  passOn?: readonly string[];
  homeDir: string;
}

/** Installs the surface's hooks for its agent (the handler told which agent it is: `--agent`). */
export async function installAgentHooks(options: AgentInstallOptions): Promise<AgentHooksResult> {
  const command = buildHookCommand(options.executable, options.surface, [...(options.passOn ?? []), "--agent", options.agent]);
  const result =
    options.agent === "codex"
      ? await changeToml(options.settingsFile, (text) => installCodexHooks(text, options.surface, command, codexTimeout), "add its hooks", [...CODEX_EVENTS])
      : await changeJson(options.settingsFile, (value) => installHooksWith(value, options.surface, geminiProfile(options.surface, command)), "add its hooks");
  rememberInstall(options.homeDir, options.surface, result.settingsFile);
  return { ...result, command };
}

/** Removes exactly what install added for the surface. */
export async function uninstallAgentHooks(options: Omit<AgentInstallOptions, "executable" | "passOn">): Promise<AgentHooksResult> {
  const result =
    options.agent === "codex"
      ? await changeToml(options.settingsFile, (text) => uninstallCodexHooks(text, options.surface), "remove its hooks", hasCodexHooksIn(options.settingsFile, options.surface) ? [...CODEX_EVENTS] : [])
      : await changeJson(options.settingsFile, (value) => uninstallHooks(value, options.surface), "remove its hooks");
  forgetInstall(options.homeDir, options.surface);
  return { ...result, command: undefined };
}

function hasCodexHooksIn(file: string, surface: string): boolean {
  const read = readSettingsText(file);
  return read.kind === "ok" && hasCodexHooks(read.text, surface);
}


/** Claude Code's settings change (core/hooks/install.ts), said as an agent's result. */
async function changeJson(file: string, edit: (value: Record<string, unknown>) => HooksChange, purpose: string): Promise<Omit<AgentHooksResult, "command">> {
  const { settingsFile, change, backup } = await changeSettings(file, edit, purpose);
  return { settingsFile, changed: change.changed, events: [...change.added, ...change.updated, ...change.removed], backup };
}

async function changeToml(file: string, edit: (text: string) => { text: string; changed: boolean }, purpose: string, events: string[]): Promise<Omit<AgentHooksResult, "command">> {
  return withSettingsLock(file, () => {
    const document = readSettingsFileText(file, "TOML");
    let change: { text: string; changed: boolean };
    try {
      change = edit(document.text);
    } catch (error) {
      if (error instanceof SettingsShapeError) throw new UsageError(`${file}: ${error.message}; left untouched`, "fix config.toml by hand (a TOML checker names the line)");
      throw error;
    }
    if (!change.changed) return { settingsFile: document.path, changed: false, events: [], backup: undefined };
    refuseProtectedSettings(document, file, purpose);
    const backup = writeSettingsText(document, change.text);
    return { settingsFile: document.path, changed: true, events, backup };
  });
}

/** What `hooks status` says of a Codex or Gemini surface: its file, the events that run our handler, the commands. */
export interface AgentHooksStatus {
  surface: string;
  agent: Exclude<Agent, "claude-code">;
  settingsFile: string;
  /** Events whose handler for this surface is there. */
  installed: string[];
  /** Events install writes that are not there. */
  missing: string[];
  /** Events whose handler is there but not as install writes it now (Codex: an older timeout). */
  outdated: string[];
  commands: string[];
  /** Why the file could not be read (then nothing counts as installed). */
  problem: string | null;
}

/** Whether what `hooks install` writes is all there, as it writes it now (the CLI also checks the programs it runs). */
export function agentHooksCurrent(status: AgentHooksStatus): boolean {
  return status.problem === null && status.installed.length > 0 && status.missing.length === 0 && status.outdated.length === 0;
}

/** Reads the surface's hooks in its agent's file (never writes). */
export function agentHooksStatus(agent: Exclude<Agent, "claude-code">, settingsFile: string, surface: string): AgentHooksStatus {
  const events: readonly string[] = agent === "codex" ? CODEX_EVENTS : GEMINI_EVENTS;
  const result: AgentHooksStatus = { surface, agent, settingsFile, installed: [], missing: [...events], outdated: [], commands: [], problem: null };
  let hooks: Record<string, unknown> | undefined;
  try {
    if (agent === "codex") {
      const read = readSettingsFileText(settingsFile, "TOML");
      hooks = read.text.trim() === "" ? undefined : ((parse(read.text) as { hooks?: Record<string, unknown> }).hooks ?? undefined);
    } else hooks = readSettings(settingsFile).value.hooks as Record<string, unknown> | undefined;
  } catch (error) {
    result.problem = error instanceof Error ? error.message : String(error);
    return result;
  }
  const commands = new Set<string>();
  for (const event of events) {
    const groups = hooks?.[event];
    const ours = Array.isArray(groups)
      ? groups.flatMap((g) => (Array.isArray((g as { hooks?: unknown }).hooks) ? ((g as { hooks: { command?: unknown }[] }).hooks) : [])).filter((h) => isOurCommand(h.command, surface))
      : [];
    if (ours.length === 0) continue;
    result.installed.push(event);
    for (const h of ours) commands.add(String(h.command));
    // A Codex PermissionRequest hook ended by an older, shorter timeout would cut the wait for a plan short.
    if (agent === "codex" && ours.some((h) => (h as { timeout?: unknown }).timeout !== codexTimeout(event))) result.outdated.push(event);
  }
  result.missing = events.filter((e) => !result.installed.includes(e));
  result.commands = [...commands];
  return result;
}
