// Where the bus lives and which of its file names are envelopes, temporary files or other tools' files.
import { userHome } from "../fs/user-home";
import { join } from "node:path";

export const DEFAULT_BUS_DIR = "/tmp/zeta-bus";

/** `--bus-dir`, else `$ZETA_BUS_DIR`, else `/tmp/zeta-bus`. */
export function resolveBusDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== "") return explicit;
  const fromEnv = env.ZETA_BUS_DIR;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return DEFAULT_BUS_DIR;
}

/** `--home`, else `$OTTO_TRAY_HOME`, else the platform's application-support directory. */
export function resolveHomeDir(explicit?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (explicit !== undefined && explicit !== "") return explicit;
  const fromEnv = env.OTTO_TRAY_HOME;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const home = userHome(env);
  if (platform === "darwin") return join(home, "Library", "Application Support", "Otto Tray");
  const stateHome = env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== "" ? env.XDG_STATE_HOME : join(home, ".local", "state");
  return join(stateHome, "otto-tray");
}

export type BusFileKind = "envelope" | "ignored";

/**
 * Classifies a directory entry by name alone. Envelope candidates end in `.json`; the bus also holds
 * `seen-<surface>.json`, `*.lock` and temporary files that other tools and we write, which are skipped quietly.
 */
export function classifyBusFileName(name: string): BusFileKind {
  if (!name.endsWith(".json")) return "ignored";
  if (name.startsWith(".")) return "ignored";
  if (name.startsWith("seen-")) return "ignored";
  return "envelope";
}
