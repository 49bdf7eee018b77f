// What the detector reads Claude Code's sessions from: the registry of the config dirs Otto Tray follows.
import type { Prefs } from "../prefs/schema";
import { claudeConfigDirs, sessionsDirOf } from "./config-dirs";
import { gitBranchOf } from "./git-branch";
import { registrySessionRows, type SessionRow } from "./session-rows";

export interface SessionSource {
  /** The sessions now (read afresh: liveness changes without the files changing). */
  sessions: () => readonly SessionRow[];
  /** The sessions directories to watch for changes. */
  dirs: readonly string[];
}

/** A directory's branch is read again after this long (the detector evaluates every second; a checkout is rare). */
const BRANCH_TTL_MS = 10_000;
/** At most this many directories' branches are kept (one per session: far more than a person runs). */
const MAX_BRANCHES = 256;

/** The branch of each session's directory, read from .git/HEAD at most every {@link BRANCH_TTL_MS} per directory. */
export class BranchCache {
  private readonly known = new Map<string, { at: number; branch: string | null }>();

  constructor(private readonly read: (cwd: string) => string | null = gitBranchOf) {}

  branchOf(cwd: string, now = Date.now()): string | null {
    const hit = this.known.get(cwd);
    if (hit !== undefined && now - hit.at < BRANCH_TTL_MS) return hit.branch;
    if (this.known.size >= MAX_BRANCHES) this.known.clear();
    const branch = this.read(cwd);
    this.known.set(cwd, { at: now, branch });
    return branch;
  }
}

export function registrySessionSource(env: NodeJS.ProcessEnv, prefs: Pick<Prefs, "sessionRules" | "surfaces" | "claudeConfigDirs" | "hungAfterSeconds">): SessionSource {
  const branches = new BranchCache();
  return {
    // The popover shows each session's branch; an ended session's directory is not read.
    sessions: () => registrySessionRows(env, prefs, { withBranch: false }).rows.map((row) => (row.state === "ended" ? row : { ...row, branch: branches.branchOf(row.cwd) })),
    dirs: claudeConfigDirs(env, prefs.claudeConfigDirs).map(sessionsDirOf),
  };
}
