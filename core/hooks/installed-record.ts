// Where each surface's hooks were installed (kept in the state directory), so `status` can say when Claude Code's
// own auto mode hides its permission dialogs from them.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../fs/atomic-write";
import { isSurfaceId } from "../ids";
import { readSettingsText } from "./settings-file";
import { permissionModeAdvice } from "./status";

function dir(homeDir: string): string {
  return join(homeDir, "hooks-installed");
}

export function rememberInstall(homeDir: string, surface: string, settingsFile: string): void {
  writeFileAtomic(join(dir(homeDir), `${surface}.json`), `${JSON.stringify({ surface, settingsFile })}\n`, { mode: 0o600 });
}

export function forgetInstall(homeDir: string, surface: string): void {
  rmSync(join(dir(homeDir), `${surface}.json`), { force: true });
}

/** Every install remembered: the surface and the settings file its hooks were written to (unreadable records are passed over). */
export function rememberedInstalls(homeDir: string): { surface: string; settingsFile: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir(homeDir));
  } catch {
    return [];
  }
  const installs: { surface: string; settingsFile: string }[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const record = readJsonFile(join(dir(homeDir), name)) as { surface?: unknown; settingsFile?: unknown } | undefined;
    if (isSurfaceId(record?.surface) && typeof record?.settingsFile === "string") installs.push({ surface: record.surface, settingsFile: record.settingsFile });
  }
  return installs;
}

/** One line per surface whose installed hooks cannot see dialogs (its settings put Claude Code in auto mode). */
export function hookWarnings(homeDir: string): { surface: string; settingsFile: string; advice: string }[] {
  const warnings: { surface: string; settingsFile: string; advice: string }[] = [];
  for (const record of rememberedInstalls(homeDir)) {
    const read = readSettingsText(record.settingsFile);
    // `hooks status` reports a missing, unreadable or broken settings file; status stays quiet about it.
    if (read.kind !== "ok") continue;
    let settings: unknown;
    try {
      settings = JSON.parse(read.text);
    } catch {
      continue;
    }
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) continue;
    const mode = permissionModeAdvice(settings as Record<string, unknown>, record.settingsFile);
    if (!mode.permissionRequestFires && mode.advice !== null) warnings.push({ surface: record.surface, settingsFile: record.settingsFile, advice: mode.advice });
  }
  return warnings.sort((a, b) => a.surface.localeCompare(b.surface));
}
