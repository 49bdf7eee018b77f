// Which Claude Code config directories Otto Tray follows: ~/.claude, $CLAUDE_CONFIG_DIR, and any named in preferences.
import { join, resolve } from "node:path";
import { userHome } from "../fs/user-home";

/** The config directories, each once, in order: the default, the environment's, then preferences'. */
export function claudeConfigDirs(env: NodeJS.ProcessEnv, fromPrefs: readonly string[] = []): string[] {
  const dirs = [join(userHome(env), ".claude")];
  const fromEnv = env.CLAUDE_CONFIG_DIR;
  if (fromEnv !== undefined && fromEnv !== "") dirs.push(fromEnv);
  dirs.push(...fromPrefs);
  return [...new Set(dirs.map((d) => resolve(d)))];
}

/** Where a config directory keeps its session records. */
export const sessionsDirOf = (configDir: string): string => join(configDir, "sessions");
