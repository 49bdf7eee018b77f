// One row per Claude Code session found in the registry: its surface, state (Claude Code's own word), branch and since when.
import type { Prefs } from "../prefs/schema";
import { claudeConfigDirs } from "./config-dirs";
import { gitBranchOf } from "./git-branch";
import { readRegistry, type ReadRegistryOptions, type RegistrySession } from "./registry";
import { surfaceOfSession } from "./surface-rules";

/** A session's state: the registry's `busy` is shown as working; a record that is not live is a session that ended. */
export type SessionState = "working" | "idle" | "waiting" | "ended" | "unknown";
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

/** One row; `withBranch` false skips reading .git/HEAD (the detector's every evaluation needs no branch). */
export function sessionRow(session: RegistrySession, prefs: Pick<Prefs, "sessionRules" | "surfaces">, withBranch = true): SessionRow {
  const r = session.record;
  const state = stateOfRecord(session);
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
  prefs: Pick<Prefs, "sessionRules" | "surfaces" | "claudeConfigDirs">,
  options: ReadRegistryOptions & { withBranch?: boolean } = {},
): { rows: SessionRow[]; problems: string[] } {
  const read = readRegistry(claudeConfigDirs(env, prefs.claudeConfigDirs), options);
  return { rows: read.sessions.map((s) => sessionRow(s, prefs, options.withBranch ?? true)), problems: read.problems };
}
