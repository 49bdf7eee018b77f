// Resolves the global options (bus directory, state directory, preferences) shared by every command.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resolveBusDir, resolveHomeDir } from "../core/bus/paths";
import { loadPrefs, PREFS_FILE_NAME } from "../core/prefs/load";
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
  /** Loads preferences once (zod is loaded only by commands that need it). */
  prefs(): Prefs;
  /** `--bus-dir`, else `$ZETA_BUS_DIR`, else preferences' busDir, else /tmp/zeta-bus. */
  busDir(): string;
}

export function resolveContext(values: GlobalValues, env: NodeJS.ProcessEnv): CliContext {
  const homeDir = resolveHomeDir(values.home, env);
  let prefs: Prefs | undefined;
  const context: CliContext = {
    homeDir,
    configFile: values.config,
    prefs() {
      prefs ??= loadPrefs({ configFile: values.config, homeDir });
      return prefs;
    },
    busDir() {
      if (values["bus-dir"] || env.ZETA_BUS_DIR) return resolveBusDir(values["bus-dir"], env);
      // Only pay for loading preferences when a file could name the bus.
      const hasPrefsFile = values.config !== undefined || existsSync(join(homeDir, PREFS_FILE_NAME));
      return resolveBusDir(hasPrefsFile ? context.prefs().busDir : undefined, env);
    },
  };
  return context;
}
