// Whether each watched surface's Claude Code hooks are installed and current, and whether auto mode hides dialogs.
import type { z } from "zod";
import type { hooksViewSchema } from "../api";
import { describeError } from "../errors";
import { defaultSettingsFile, readSettings } from "../hooks/settings-file";
import { inspectHooks, permissionModeAdvice } from "../hooks/status";
import type { Prefs } from "../prefs/schema";

export type HooksView = z.infer<typeof hooksViewSchema>;

/**
 * Reads Claude Code's settings file (read only); a file that cannot be read is reported, never guessed.
 * `installCommand` says what "Install hooks" would write for a surface (null: the service knows no command).
 */
export function readHooksView(prefs: Prefs, env: NodeJS.ProcessEnv = process.env, installCommand: (surface: string) => string | null = () => null): HooksView {
  const settingsFile = defaultSettingsFile(env);
  try {
    const document = readSettings(settingsFile);
    const surfaces = prefs.surfaces.map((s) => {
      const [found] = inspectHooks(document.value, s.id, prefs.actuator.permissionWaitSeconds);
      return { surface: s.id, installed: (found?.installed.length ?? 0) > 0, current: found?.current ?? false, missing: found?.missing ?? [], outdated: found?.outdated ?? [], installCommand: installCommand(s.id) };
    });
    return { settingsFile: document.path, problem: null, autoModeAdvice: permissionModeAdvice(document.value, document.path).advice, surfaces };
  } catch (error) {
    return { settingsFile, problem: describeError(error), autoModeAdvice: null, surfaces: [] };
  }
}
