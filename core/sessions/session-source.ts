// What the detector reads Claude Code's sessions from: the registry of the config dirs Otto Tray follows.
import type { Prefs } from "../prefs/schema";
import { claudeConfigDirs, sessionsDirOf } from "./config-dirs";
import { registrySessionRows, type SessionRow } from "./session-rows";

export interface SessionSource {
  /** The sessions now (read afresh: liveness changes without the files changing). */
  sessions: () => readonly SessionRow[];
  /** The sessions directories to watch for changes. */
  dirs: readonly string[];
}

export function registrySessionSource(env: NodeJS.ProcessEnv, prefs: Pick<Prefs, "sessionRules" | "surfaces" | "claudeConfigDirs" | "hungAfterSeconds">): SessionSource {
  return {
    sessions: () => registrySessionRows(env, prefs, { withBranch: false }).rows,
    dirs: claudeConfigDirs(env, prefs.claudeConfigDirs).map(sessionsDirOf),
  };
}
