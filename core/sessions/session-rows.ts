// One row per Claude Code session found in the registry: its surface, state (Claude Code's own word), branch and since when.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import type { Prefs } from "../prefs/schema";
import { claudeConfigDirs } from "./config-dirs";
import { gitBranchOf } from "./git-branch";
import { readRegistry, type ReadRegistryOptions, type RegistrySession } from "./registry";
import { surfaceOfSession } from "./surface-rules";

/**
 * A session's state: the registry's `busy` is shown as working, and as hung when its transcript has not grown for
 * `hungAfterSeconds`; a record that is not live is a session that ended.
 */
export type SessionState = "working" | "hung" | "idle" | "waiting" | "ended" | "unknown";
/** Where a session was seen: Claude Code's registry, or an `otto-tray run` host. */
export type SessionSource = "registry" | "pty-host";

export interface SessionRow {
  pid: number;
  sessionId: string;
  /** The surface its rule names, or null for "other sessions" (shown, never counted towards a quorum). */
  surface: string | null;
  state: SessionState;
  name: string | null;
  cwd: string;
  branch: string | null;
  waitingFor: string | null;
  /** When it entered this state (Claude Code's statusUpdatedAt), null when not known or ended. */
  since: string | null;
  source: SessionSource[];
  version: string | null;
  entrypoint: string | null;
}

const REGISTRY_STATES: Readonly<Record<string, SessionState>> = { busy: "working", idle: "idle", waiting: "waiting" };

export function stateOfRecord(session: Pick<RegistrySession, "live" | "record">): SessionState {
  if (!session.live) return "ended";
  return REGISTRY_STATES[session.record.status ?? ""] ?? "unknown";
}

const isoOrNull = (ms: number | undefined): string | null => (ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

/** Where Claude Code keeps a session's transcript: `<configDir>/projects/<cwd, every other character a "-">/<sessionId>.jsonl`. */
export function transcriptPathOf(configDir: string, cwd: string, sessionId: string): string {
  return join(configDir, "projects", cwd.replace(/[^A-Za-z0-9]/g, "-"), `${sessionId}.jsonl`);
}

/** When the transcript last grew, ms; undefined when there is none to look at (then hung cannot be told). */
function transcriptChangedAt(session: RegistrySession): number | undefined {
  if (/[/\\]|\.\./.test(session.record.sessionId)) return undefined;
  try {
    const stat = lstatSync(transcriptPathOf(session.configDir, session.record.cwd, session.record.sessionId));
    return stat.isFile() ? stat.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

export interface RowOptions {
  /** Read .git/HEAD for the branch (the detector's every evaluation needs none). */
  withBranch?: boolean;
  /** A working session whose transcript has not grown this long is hung (absent: never hung). */
  hungAfterMs?: number;
  now?: number;
}

export function sessionRow(session: RegistrySession, prefs: Pick<Prefs, "sessionRules" | "surfaces">, options: RowOptions = {}): SessionRow {
  const r = session.record;
  let state = stateOfRecord(session);
  if (state === "working" && options.hungAfterMs !== undefined) {
    const changedAt = transcriptChangedAt(session);
    if (changedAt !== undefined && (options.now ?? Date.now()) - changedAt >= options.hungAfterMs) state = "hung";
  }
  const withBranch = options.withBranch ?? true;
  return {
    pid: r.pid,
    sessionId: r.sessionId,
    surface: surfaceOfSession(r, prefs.sessionRules, new Set(prefs.surfaces.map((s) => s.id))),
    state,
    name: r.name ?? null,
    cwd: r.cwd,
    branch: withBranch ? gitBranchOf(r.cwd) : null,
    waitingFor: state === "waiting" ? (r.waitingFor ?? null) : null,
    since: state === "ended" ? null : isoOrNull(r.statusUpdatedAt ?? r.updatedAt ?? r.startedAt),
    source: ["registry"],
    version: r.version ?? null,
    entrypoint: r.entrypoint ?? null,
  };
}

/** Every registry session of the config dirs Otto Tray follows (see {@link claudeConfigDirs}), with what could not be read. */
export function registrySessionRows(
  env: NodeJS.ProcessEnv,
  prefs: Pick<Prefs, "sessionRules" | "surfaces" | "claudeConfigDirs" | "hungAfterSeconds">,
  options: ReadRegistryOptions & Omit<RowOptions, "hungAfterMs"> = {},
): { rows: SessionRow[]; problems: string[] } {
  const read = readRegistry(claudeConfigDirs(env, prefs.claudeConfigDirs), options);
  return { rows: read.sessions.map((s) => sessionRow(s, prefs, { ...options, hungAfterMs: prefs.hungAfterSeconds * 1000 })), problems: read.problems };
}
