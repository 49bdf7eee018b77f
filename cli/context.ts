// Resolves the global options (bus directory, state directory, preferences) shared by every command.
import { busBeforePrefs, busFromPrefs } from "../core/app/paths";
import { resolveHomeDir } from "../core/bus/paths";
import { prefsFileFor } from "../core/prefs/location";
import type { Prefs } from "../core/prefs/schema";

/** Streams and environment a command runs with; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface GlobalValues {
  "bus-dir"?: string | undefined;
  config?: string | undefined;
  home?: string | undefined;
}

export interface CliContext {
  homeDir: string;
  configFile: string | undefined;
  /** The preferences file that applies (`--config`, else `<home>/preferences.json` if present). */
  prefsFile: string | undefined;
  /** Loads and validates preferences once; zod loads only here, so hot paths without a file stay light. */
  prefs(): Promise<Prefs>;
  /** `--bus-dir`, else `$ZETA_BUS_DIR`, else preferences' busDir, else /tmp/zeta-bus. */
  busDir(): Promise<string>;
}

export function resolveContext(values: GlobalValues, env: NodeJS.ProcessEnv): CliContext {
  const homeDir = resolveHomeDir(values.home, env);
  const prefsFile = prefsFileFor(values.config, homeDir);
  let prefs: Promise<Prefs> | undefined;
  const context: CliContext = {
    homeDir,
    configFile: values.config,
    prefsFile,
    prefs() {
      prefs ??= import("../core/prefs/load").then((m) => m.loadPrefs({ configFile: prefsFile }));
      return prefs;
    },
    async busDir() {
      // The app's rule (core/app/paths.ts); preferences are read only when they can change the answer.
      const before = busBeforePrefs(values["bus-dir"], env);
      if (before !== undefined) return before.busDir;
      return busFromPrefs(prefsFile === undefined ? undefined : (await context.prefs()).busDir).busDir;
    },
  };
  return context;
}
