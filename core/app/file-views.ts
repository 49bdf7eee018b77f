// The parts of the app snapshot read from files (switch, pool records, hooks, audit), each read again only when one
// of its files changes: the detector evaluates every second, and re-reading them all each time was most of the idle cost.
import type { Agent } from "../agents";
import type { AppSnapshot } from "../api";
import { auditFile, readAudit } from "../actuator/state/audit-log";
import { offMarkerFile } from "../actuator/state/off-marker";
import { actuatorDir } from "../actuator/state/private-dir";
import { readSwitch, switchFile, switchView } from "../actuator/state/safety-switch";
import { describeError } from "../errors";
import { StatKeyedCache } from "../fs/stat-keyed-cache";
import { agentSettingsFile } from "../hooks/agents/agent-install";
import { defaultSettingsFile } from "../hooks/settings-file";
import type { Prefs } from "../prefs/schema";
import { readHooksView } from "./hooks-view";
import { judgePoolFiles, readPoolFiles } from "./pool-view";

/** How many audit entries the snapshot carries. */
const SNAPSHOT_AUDIT_ENTRIES = 10;

/**
 * The newest audit entries as the snapshot shows them. A log that cannot be read shows as one failed entry saying
 * why, never as an empty list (which would read as "nothing was ever done").
 */
export function auditView(homeDir: string, limit: number, clock: () => number = Date.now): AppSnapshot["audit"] {
  try {
    return readAudit(homeDir, limit).map((e) => ({ at: e.at, surface: e.surface, backend: e.backend, event: e.event, decision: e.decision, reason: e.reason }));
  } catch (error) {
    return [{ at: new Date(clock()).toISOString(), surface: null, backend: null, event: "audit-unreadable", decision: "failed", reason: describeError(error) }];
  }
}

export class AppFileViews {
  private readonly switchState: StatKeyedCache<ReturnType<typeof readSwitch>>;
  private readonly poolFiles: StatKeyedCache<ReturnType<typeof readPoolFiles>> | undefined;
  private readonly hooksView: StatKeyedCache<AppSnapshot["hooks"]>;
  private readonly auditView: StatKeyedCache<AppSnapshot["audit"]>;

  constructor(
    homeDir: string,
    prefs: Prefs,
    env: NodeJS.ProcessEnv,
    private readonly pool: { poolRoot: string | null; problem: string | null },
    /** The wall clock the caches compare file times with. */
    clock: () => number = Date.now,
    /** The command a surface's hooks would be installed with from the popover, or null (install from a shell). */
    installCommand: (surface: string, agent: Agent) => string | null = () => null,
  ) {
    this.switchState = new StatKeyedCache(() => ({ value: readSwitch(homeDir), paths: [actuatorDir(homeDir), switchFile(homeDir), offMarkerFile(homeDir)] }), clock);
    const poolRoot = pool.poolRoot;
    this.poolFiles = poolRoot === null ? undefined : new StatKeyedCache(() => {
      const files = readPoolFiles(poolRoot, prefs);
      return { value: files, paths: files.paths };
    }, clock);
    // Claude Code's settings, and the file of each Codex or Gemini surface: a change to any of them is read again.
    const hookFiles = [defaultSettingsFile(env), ...new Set(prefs.surfaces.flatMap((s) => (s.agent === "claude-code" ? [] : [agentSettingsFile(s.agent, env)])))];
    this.hooksView = new StatKeyedCache(() => ({ value: readHooksView(prefs, env, installCommand), paths: hookFiles }), clock);
    this.auditView = new StatKeyedCache(() => ({ value: auditView(homeDir, SNAPSHOT_AUDIT_ENTRIES, clock), paths: [auditFile(homeDir)] }), clock);
  }

  /** The switch, with auto mode judged against the clock now. */
  actuator(now: number = Date.now()): AppSnapshot["actuator"] {
    return switchView(this.switchState.get(), now);
  }

  /** Leases per identity, with holders' liveness and lease expiry judged now (only the records are cached). */
  poolView(now: Date = new Date()): AppSnapshot["pool"] {
    const { poolRoot, problem } = this.pool;
    if (poolRoot === null || this.poolFiles === undefined) return { poolRoot, problem, identities: [] };
    return judgePoolFiles(this.poolFiles.get(), poolRoot, problem, now);
  }

  hooks(): AppSnapshot["hooks"] {
    return this.hooksView.get();
  }

  /** Reads the hooks again on the next snapshot (this process just changed the settings file). */
  hooksChanged(): void {
    this.hooksView.clear();
  }

  audit(): AppSnapshot["audit"] {
    return this.auditView.get();
  }
}
