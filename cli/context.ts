// Resolves the global options (bus directory, state directory, preferences) shared by every command.
import { busBeforePrefs, busFromPrefs } from "../core/app/paths";
import { resolveHomeDir } from "../core/bus/paths";
import { prefsFileFor } from "../core/prefs/location";
import type { Prefs } from "../core/prefs/schema";
import { terminalSafe } from "../core/text/terminal-safe";

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
  /**
   * Loads and validates preferences once; zod loads only here, so hot paths without a file stay light. A bad or
   * unknown key falls back alone (named by `prefsProblems`, and on stderr when the command gave `warn`); a file that
   * cannot be read or is not a JSON object rejects (a usage error, exit 2).
   */
  prefs(): Promise<Prefs>;
  /**
   * Each key of the preferences file that was not used as written: the key, and a line naming the file (loads them).
   * At most MAX_PROBLEMS_NAMED, then a line with key "" that counts the rest.
   */
  prefsProblems(): Promise<{ key: string; line: string }[]>;
  /** Why the actuator section cannot be used as written (a bad or unknown key in it), or null: the hook then answers nothing. */
  actuatorPrefsProblem(): Promise<string | null>;
  /** `--bus-dir`, else `$ZETA_BUS_DIR`, else preferences' busDir, else /tmp/zeta-bus. */
  busDir(): Promise<string>;
}

/** `warn`: where a command that goes on with a fallen-back key says so (stderr); the hook logs instead. */
export function resolveContext(values: GlobalValues, env: NodeJS.ProcessEnv, warn?: (line: string) => void): CliContext {
  const homeDir = resolveHomeDir(values.home, env);
  const prefsFile = prefsFileFor(values.config, homeDir);
  let loaded: Promise<{ prefs: Prefs; problems: { key: string; line: string }[]; actuator: string | null }> | undefined;
  const load = () => {
    loaded ??= Promise.all([import("../core/prefs/load"), import("../core/prefs/lenient")]).then(([m, lenient]) => {
      const result = m.loadPrefsLeniently({ configFile: prefsFile });
      const file = result.file ?? "preferences";
      const lines = lenient.problemLines(file, result.problems);
      const problems = lines.map((line, i) => ({ key: result.problems[i]?.key ?? "", line }));
      for (const line of lines) warn?.(`otto-tray: warning: ${terminalSafe(line)}\n`);
      // From every problem, not only the ones named: one actuator key past the first twenty still fails closed.
      const actuator = result.problems.filter((p) => p.key === "actuator" || p.key.startsWith("actuator."));
      return { prefs: result.prefs, problems, actuator: actuator.length === 0 ? null : lenient.problemLines(file, actuator).join("; ") };
    });
    return loaded;
  };
  const context: CliContext = {
    homeDir,
    configFile: values.config,
    prefsFile,
    prefs: async () => (await load()).prefs,
    prefsProblems: async () => (await load()).problems,
    actuatorPrefsProblem: async () => (await load()).actuator,
    async busDir() {
      // The app's rule (core/app/paths.ts); preferences are read only when they can change the answer.
      const before = busBeforePrefs(values["bus-dir"], env);
      if (before !== undefined) return before.busDir;
      return busFromPrefs(prefsFile === undefined ? undefined : (await context.prefs()).busDir).busDir;
    },
  };
  return context;
}
