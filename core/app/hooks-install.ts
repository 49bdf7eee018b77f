// "Install hooks" from the app: which command a surface's hooks get, where they go, and the install itself as an API result.
import { join } from "node:path";
import type { ApiResult } from "../api";
import { describeError, OttoError, UsageError } from "../errors";
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

/** The exact command line an install from this app writes for `surface`, or null when it knows no command. */
export function appHookCommand(context: AppHooksContext, surface: string): string | null {
  return context.executable === undefined ? null : buildHookCommand(context.executable, surface, hooksPassOn(context.paths));
}

/** What installing `surface`'s hooks would write where (for the confirmation), or why it will not. */
export function previewHooksInstall(context: AppHooksContext, surface: string): { ok: true; settingsFile: string; command: string } | Refusal {
  if (!context.prefs.surfaces.some((s) => s.id === surface)) {
    const known = context.prefs.surfaces.map((s) => s.id).join(", ") || "none";
    return { ok: false, refusal: "unknown-surface", reason: `${surface} is not one of the surfaces in the preferences (${known}): add it there first` };
  }
  const command = appHookCommand(context, surface);
  if (command === null) {
    return { ok: false, refusal: "no-command", reason: `this Otto Tray does not know a command for hooks to run: run otto-tray hooks install --surface ${surface} from a shell` };
  }
  return { ok: true, settingsFile: defaultSettingsFile(context.env), command };
}

/**
 * Installs (or updates in place) `surface`'s hooks in Claude Code's settings file. A file it cannot change safely (not
 * JSON, not an object, hooks not shaped like Claude Code's) or must not (read-only, a dangling symlink) is left
 * untouched and refused with the reason, as is one it cannot read, lock or write.
 */
export async function installHooksForApp(context: AppHooksContext, surface: string): Promise<ApiResult<"hooksInstall">> {
  const preview = previewHooksInstall(context, surface);
  if (!preview.ok) return preview;
  try {
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
