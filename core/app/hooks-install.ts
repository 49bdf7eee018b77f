// "Install hooks" from the app: which command a surface's hooks get, where they go, and the install itself as an API result.
import { join } from "node:path";
import type { Agent } from "../agents";
import type { ApiResult } from "../api";
import { describeError, OttoError, UsageError } from "../errors";
import { AGENT_INSTALL_NOTES, agentSettingsFile, installAgentHooks } from "../hooks/agents/agent-install";
import { installSurfaceHooks } from "../hooks/install";
import { defaultSettingsFile } from "../hooks/settings-file";
import { buildHookCommand } from "../hooks/settings";
import { PREFS_FILE_NAME } from "../prefs/location";
import type { Prefs } from "../prefs/schema";
import type { AppPaths } from "./paths";

/** What the app installs with: its settings, its paths, and what runs otto-tray (undefined: it knows no command). */
export interface AppHooksContext {
  prefs: Prefs;
  paths: AppPaths;
  env: NodeJS.ProcessEnv;
  /** Shell text that runs otto-tray (already quoted), e.g. the app's stable link or `node …/bin/otto-tray`. */
  executable: string | undefined;
}

type Refusal = { ok: false; refusal: string; reason: string };

/**
 * The global options the handler needs to reach this app's state directory and bus. A path found by the default rule
 * is found by the hook the same way; one that came from an option or this process's environment is not (Claude Code
 * runs hooks with its own environment), so it is passed on. A bus named in the preferences is found through them.
 */
export function hooksPassOn(paths: AppPaths): string[] {
  const passOn: string[] = [];
  if (paths.busSource === "option" || paths.busSource === "environment") passOn.push("--bus-dir", paths.busDir);
  if (paths.homeSource !== "default") passOn.push("--home", paths.homeDir);
  // A preferences file other than the state directory's own came from --config.
  if (paths.prefsFile !== join(paths.homeDir, PREFS_FILE_NAME)) passOn.push("--config", paths.prefsFile);
  return passOn;
}

/** The exact command line an install from this app writes for `surface` (of `agent`), or null when it knows no command. */
export function appHookCommand(context: AppHooksContext, surface: string, agent: Agent = "claude-code"): string | null {
  if (context.executable === undefined) return null;
  // Codex's and Gemini's handlers are told their agent, as `hooks install` writes them (core/hooks/agents/agent-install.ts).
  return buildHookCommand(context.executable, surface, [...hooksPassOn(context.paths), ...(agent === "claude-code" ? [] : ["--agent", agent])]);
}

/** What installing `surface`'s hooks would write where (for the confirmation), or why it will not. */
export function previewHooksInstall(context: AppHooksContext, surface: string): { ok: true; agent: Agent; settingsFile: string; command: string } | Refusal {
  const known = context.prefs.surfaces.find((s) => s.id === surface);
  if (known === undefined) {
    const ids = context.prefs.surfaces.map((s) => s.id).join(", ") || "none";
    return { ok: false, refusal: "unknown-surface", reason: `${surface} is not one of the surfaces in the preferences (${ids}): add it there first` };
  }
  const command = appHookCommand(context, surface, known.agent);
  if (command === null) {
    return { ok: false, refusal: "no-command", reason: `this Otto Tray does not know a command for hooks to run: run otto-tray hooks install --surface ${surface} from a shell` };
  }
  const settingsFile = known.agent === "claude-code" ? defaultSettingsFile(context.env) : agentSettingsFile(known.agent, context.env);
  return { ok: true, agent: known.agent, settingsFile, command };
}

/**
 * Installs (or updates in place) `surface`'s hooks in its agent's file (Claude Code's settings file; Codex's
 * config.toml; Gemini's settings.json). A file it cannot change safely (not
 * JSON, not an object, hooks not shaped like Claude Code's) or must not (read-only, a dangling symlink) is left
 * untouched and refused with the reason, as is one it cannot read, lock or write.
 */
export async function installHooksForApp(context: AppHooksContext, surface: string): Promise<ApiResult<"hooksInstall">> {
  const preview = previewHooksInstall(context, surface);
  if (!preview.ok) return preview;
  try {
    if (preview.agent !== "claude-code") {
      const agent = preview.agent;
      const done = await installAgentHooks({ agent, settingsFile: preview.settingsFile, surface, executable: context.executable as string, passOn: hooksPassOn(context.paths), homeDir: context.paths.homeDir });
      return { ok: true, surface, settingsFile: done.settingsFile, changed: done.changed, added: done.events, updated: [], backup: done.backup ?? null, command: done.command ?? preview.command, advice: AGENT_INSTALL_NOTES[agent] };
    }
    const done = await installSurfaceHooks({
      settingsFile: preview.settingsFile,
      surface,
      executable: context.executable as string,
      passOn: hooksPassOn(context.paths),
      waitSeconds: context.prefs.actuator.permissionWaitSeconds,
      homeDir: context.paths.homeDir,
    });
    return {
      ok: true,
      surface,
      settingsFile: done.settingsFile,
      changed: done.change.changed,
      added: done.change.added,
      updated: done.change.updated,
      backup: done.backup ?? null,
      command: done.command,
      advice: done.permissionMode.advice,
    };
  } catch (error) {
    const refusal = error instanceof UsageError ? "settings-unusable" : "failed";
    const hint = error instanceof OttoError && error.hint !== undefined ? ` (${error.hint})` : "";
    return { ok: false, refusal, reason: `${describeError(error)}${hint}` };
  }
}
