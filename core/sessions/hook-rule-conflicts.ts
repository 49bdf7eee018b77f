// Where a live Claude Code session's surface rule and the hooks that fire for it disagree: the rule wins, and `doctor` says so.
import { dirname, join, resolve } from "node:path";
import { rememberedInstalls } from "../hooks/installed-record";
import { readSettingsText } from "../hooks/settings-file";
import { inspectHooks } from "../hooks/status";
import type { Prefs } from "../prefs/schema";
import { claudeConfigDirs } from "./config-dirs";
import { readRegistry, type RegistrySession } from "./registry";
import { surfaceOfSession } from "./surface-rules";

export interface HookRuleConflict {
  pid: number;
  sessionId: string;
  name: string | null;
  entrypoint: string | null;
  /** The surface the rules give the session (null: one of the other sessions). */
  surface: string | null;
  settingsFile: string;
  /** The surface its hooks in `settingsFile` were installed for. */
  hooksSurface: string;
}

/** The surfaces Otto Tray's hooks in a settings file were installed for; none when it cannot be read (`hooks status` says why). */
function hookSurfacesIn(file: string): string[] {
  const read = readSettingsText(file);
  if (read.kind !== "ok") return [];
  let settings: unknown;
  try {
    settings = JSON.parse(read.text);
  } catch {
    return [];
  }
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) return [];
  return inspectHooks(settings as Record<string, unknown>)
    .filter((s) => s.commands.length > 0)
    .map((s) => s.surface);
}

/** Whether a project settings file (`<dir>/.claude/settings[.local].json`) applies to a session working in `cwd`. */
function projectSettingsApply(file: string, cwd: string): boolean {
  const claudeDir = dirname(resolve(file));
  if (!/^settings(\.local)?\.json$/.test(file.split("/").pop() ?? "") || !claudeDir.endsWith("/.claude")) return false;
  const project = dirname(claudeDir);
  return cwd === project || cwd.startsWith(project === "/" ? "/" : `${project}/`);
}

/**
 * The settings files whose hooks fire for a session: its config directory's settings.json, and every settings file
 * an install was remembered for that is a project settings file of a directory holding the session's cwd.
 */
function settingsFilesOf(session: RegistrySession, installedFiles: readonly string[]): string[] {
  const files = [join(session.configDir, "settings.json"), ...installedFiles.filter((f) => projectSettingsApply(f, session.record.cwd))];
  return [...new Set(files.map((f) => resolve(f)))];
}

/** Every live session whose hooks were installed for another surface than its rule names (one entry per file and surface). */
export function hookRuleConflicts(env: NodeJS.ProcessEnv, homeDir: string, prefs: Pick<Prefs, "sessionRules" | "surfaces" | "claudeConfigDirs">): HookRuleConflict[] {
  const read = readRegistry(claudeConfigDirs(env, prefs.claudeConfigDirs));
  const watched = new Set(prefs.surfaces.map((s) => s.id));
  const installedFiles = rememberedInstalls(homeDir).map((i) => i.settingsFile);
  // Several sessions share one settings file: each file is read once.
  const surfacesOf = new Map<string, string[]>();
  const conflicts: HookRuleConflict[] = [];
  for (const session of read.sessions.filter((s) => s.live)) {
    const r = session.record;
    const surface = surfaceOfSession(r, prefs.sessionRules, watched);
    for (const file of settingsFilesOf(session, installedFiles)) {
      let hooks = surfacesOf.get(file);
      if (hooks === undefined) {
        hooks = hookSurfacesIn(file);
        surfacesOf.set(file, hooks);
      }
      for (const hooksSurface of hooks.filter((h) => h !== surface)) {
        conflicts.push({ pid: r.pid, sessionId: r.sessionId, name: r.name ?? null, entrypoint: r.entrypoint ?? null, surface, settingsFile: file, hooksSurface });
      }
    }
  }
  return conflicts;
}

/** The one line `doctor` prints for a conflict. */
export function describeHookRuleConflict(c: HookRuleConflict): string {
  const who = `session ${c.name ?? c.sessionId} (pid ${c.pid})`;
  const rule = `by rule (entrypoint ${c.entrypoint ?? "none"})`;
  const is = c.surface === null ? `is one of the other sessions ${rule}` : `is ${c.surface} ${rule}`;
  return `${who} ${is} but its hooks in ${c.settingsFile} were installed for ${c.hooksSurface}; the rule wins`;
}
