// The one rule every process (CLI, hooks, `serve`, the app) uses to find the state directory, preferences and bus.
import { join } from "node:path";
import { DEFAULT_BUS_DIR, resolveHomeDir } from "../bus/paths";
import { PREFS_FILE_NAME, prefsFileFor } from "../prefs/location";

/** Where a path came from, shown in the UI so a person can see why the app and a shell agree (or not). */
export type PathSource = "option" | "environment" | "preferences" | "default";

/** The paths a process uses, with where each came from. */
export interface AppPaths {
  homeDir: string;
  homeSource: PathSource;
  /** The preferences file read (it may not exist yet: then the defaults apply) and written by `setPrefs`. */
  prefsFile: string;
  prefsSource: PathSource;
  busDir: string;
  busSource: PathSource;
}

export interface PathOptions {
  home?: string | undefined;
  config?: string | undefined;
  busDir?: string | undefined;
}

/**
 * Resolves the state directory first (`--home`, `$OTTO_TRAY_HOME`, the platform's application-support directory),
 * then the preferences file inside it, then the bus: `--bus-dir`, `$ZETA_BUS_DIR`, the preferences' `busDir`, /tmp/zeta-bus.
 * An app started from the Finder has no shell variables: the preferences' `busDir` is what makes it see the same bus
 * as the shell, so the setting lives in the file every process reads.
 */
export function resolveAppPaths(options: PathOptions, env: NodeJS.ProcessEnv, prefsBusDir: (file: string | undefined) => string | undefined): AppPaths {
  const homeDir = resolveHomeDir(options.home, env);
  const homeSource: PathSource = options.home ? "option" : env.OTTO_TRAY_HOME ? "environment" : "default";
  const existing = prefsFileFor(options.config, homeDir);
  const prefsFile = options.config ?? join(homeDir, PREFS_FILE_NAME);
  const prefsSource: PathSource = options.config ? "option" : homeSource === "default" ? "default" : homeSource;
  if (options.busDir) return { homeDir, homeSource, prefsFile, prefsSource, busDir: options.busDir, busSource: "option" };
  if (env.ZETA_BUS_DIR) return { homeDir, homeSource, prefsFile, prefsSource, busDir: env.ZETA_BUS_DIR, busSource: "environment" };
  const fromPrefs = prefsBusDir(existing);
  if (fromPrefs) return { homeDir, homeSource, prefsFile, prefsSource, busDir: fromPrefs, busSource: "preferences" };
  return { homeDir, homeSource, prefsFile, prefsSource, busDir: DEFAULT_BUS_DIR, busSource: "default" };
}
