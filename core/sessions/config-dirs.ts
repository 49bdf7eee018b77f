// Which Claude Code config directories Otto Tray follows: ~/.claude, $CLAUDE_CONFIG_DIR, and any named in preferences.
import { join, resolve } from "node:path";
import { userHome } from "../fs/user-home";

/**
 * Replaces `~/.claude` as the default directory: the tests point it at an empty place, so a Claude Code session the
 * person (or the machine's other work) runs meanwhile never shows up in what they check.
 */
export const DEFAULT_CLAUDE_DIR_ENV = "OTTO_TRAY_DEFAULT_CLAUDE_DIR";

/** The config directories, each once, in order: the default, the environment's, then preferences'. */
export function claudeConfigDirs(env: NodeJS.ProcessEnv, fromPrefs: readonly string[] = []): string[] {
  const dirs = [env[DEFAULT_CLAUDE_DIR_ENV] || join(userHome(env), ".claude")];
  const fromEnv = env.CLAUDE_CONFIG_DIR;
  if (fromEnv !== undefined && fromEnv !== "") dirs.push(fromEnv);
  dirs.push(...fromPrefs);
  return [...new Set(dirs.map((d) => resolve(d)))];
}

/** Where a config directory keeps its session records. */
export const sessionsDirOf = (configDir: string): string => join(configDir, "sessions");
