// The snapshot every adapter shows (CLI `status`, tray, popover, HTTP): plain JSON-ready data.
import type { BusCounts } from "./bus/reader";
import type { SessionRow } from "./sessions/session-rows";
import type { SurfaceState } from "./surfaces/types";

export interface SurfaceSnapshot {
  id: string;
  label?: string;
  /** The agent that runs there (preferences); absent: Claude Code. */
  agent?: "claude-code" | "codex" | "gemini";
  state: SurfaceState;
  /** Why it is in this state, in one line. */
  reason: string;
  lastHeartbeatAt: string | null;
  lastStatus: string | null;
  waiting: string | null;
  briefAckStreak: number;
  note: string | null;
  pid: number | null;
  /** Process liveness: null when no pid is known. */
  alive: boolean | null;
  /** When its current idle run began (null unless idle). */
  idleSince: string | null;
}

export interface QuorumSnapshot {
  active: boolean;
  surfaces: string[];
  since: string | null;
  episodeId: string | null;
  /** The surfaces that count towards a quorum now, and since when each is idle (what the bridge shares). */
  members: { id: string; idleSince: string | null }[];
}

export interface Snapshot {
  generatedAt: string;
  busDir: string;
  busTrusted: boolean;
  /** Why the bus is not trusted; escalations and actions are off while it is not. */
  busProblem: string | null;
  /** The bus directory does not exist yet: nothing is trusted or acted on, but it means "no heartbeats yet", not an attack. */
  busMissing: boolean;
  surfaces: SurfaceSnapshot[];
  quorum: QuorumSnapshot;
  bus: BusCounts;
  /** A wake from sleep was detected: `hung` is held back until then. */
  wakeGraceUntil: string | null;
  /** Every surface is silent at once: suspect sleep or an outage rather than stuck agents. */
  allSilent: boolean;
  /** Claude Code's sessions the detector followed (its registry), each with its surface or null for "other sessions". */
  sessions: SessionRow[];
}

export const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
