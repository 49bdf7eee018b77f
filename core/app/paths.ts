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

/** The bus directory and where it came from. */
export interface BusChoice {
  busDir: string;
  busSource: PathSource;
}

/**
 * The bus rule, in two steps so a caller reads preferences only when they can change the answer:
 * `--bus-dir`, then `$ZETA_BUS_DIR` (undefined when neither is given: ask {@link busFromPrefs} next).
 */
export function busBeforePrefs(option: string | undefined, env: NodeJS.ProcessEnv): BusChoice | undefined {
  if (option) return { busDir: option, busSource: "option" };
  if (env.ZETA_BUS_DIR) return { busDir: env.ZETA_BUS_DIR, busSource: "environment" };
  return undefined;
}

/** The rest of the bus rule: the preferences' `busDir`, else /tmp/zeta-bus. */
export function busFromPrefs(prefsBusDir: string | undefined): BusChoice {
  return prefsBusDir ? { busDir: prefsBusDir, busSource: "preferences" } : { busDir: DEFAULT_BUS_DIR, busSource: "default" };
}

export interface PathOptions {
  home?: string | undefined;
  config?: string | undefined;
  busDir?: string | undefined;
}

/**
 * Every process uses this rule, or its two bus steps (the CLI, which loads preferences lazily): resolves the state directory first (`--home`, `$OTTO_TRAY_HOME`, the platform's application-support directory),
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
  const bus = busBeforePrefs(options.busDir, env) ?? busFromPrefs(prefsBusDir(existing));
  return { homeDir, homeSource, prefsFile, prefsSource, ...bus };
}
