// Snapshots for the renderer's tests: one surface or a whole app snapshot, with only what a test changes.
import type { AppSnapshot, BridgeViewApi, SessionView, SurfaceView } from "../../core/api";

export const NOW = Date.parse("2026-05-16T10:00:00Z");

export function surface(over: Partial<SurfaceView> = {}): SurfaceView {
  return { id: "otto-cli", state: "working", reason: "beat", lastHeartbeatAt: "2026-05-16T09:59:48Z", lastStatus: "working", waiting: null, briefAckStreak: 0, note: null, pid: null, alive: null, idleSince: null, ...over };
}

/** One Claude Code session of otto-cli, waiting for a permission prompt since a minute before NOW. */
export function session(over: Partial<SessionView> = {}): SessionView {
  return {
    pid: 4242,
    sessionId: "0f3c9a1e-5b7d-4c2a-9e8f-1a2b3c4d5e6f",
    surface: "otto-cli",
    state: "waiting",
    name: "repo-fix",
    cwd: "/home/ann/src/otto/tray",
    branch: "main",
    waitingFor: "permission prompt",
    since: "2026-05-16T09:59:00Z",
    source: ["registry"],
    version: "2.1.330",
    entrypoint: "cli",
    ...over,
  };
}

export function snapshotWith(surfaces: SurfaceView[], over: { on?: boolean; trusted?: boolean; missing?: boolean; allSilent?: boolean; quorum?: string[]; sessions?: SessionView[]; bridge?: Partial<BridgeViewApi> } = {}): AppSnapshot {
  return {
    detector: {
      generatedAt: new Date(NOW).toISOString(),
      busDir: "/tmp/bus",
      busTrusted: over.missing === true ? false : (over.trusted ?? true),
      busProblem: over.missing === true ? "/tmp/bus does not exist yet" : over.trusted === false ? "/tmp/bus is writable by others" : null,
      busMissing: over.missing ?? false,
      surfaces,
      quorum: { active: (over.quorum ?? []).length > 0, surfaces: over.quorum ?? [], since: null, episodeId: null, members: [] },
      bus: { envelopes: 1, foreign: 0, rejected: 0, pending: 0 },
      wakeGraceUntil: null,
      allSilent: over.allSilent ?? false,
      sessions: over.sessions ?? [],
    },
    actuator: { on: over.on ?? false, since: null, autoUntil: null, problem: null, autoActive: false, disarmedReason: null },
    paths: { homeDir: "/h", homeSource: "default", prefsFile: "/h/preferences.json", prefsSource: "default", busDir: "/tmp/bus", busSource: "default" },
    pool: { poolRoot: null, problem: null, identities: [] },
    hooks: { settingsFile: "/s", problem: null, autoModeAdvice: null, surfaces: [] },
    hookEndpoint: { port: 0, state: "off", detail: null },
    audit: [],
    publisher: true,
    pausedSince: null,
    policy: { problem: null, dropped: [], allowlist: ["npm test"] },
    prefsProblems: [],
    bridge: { state: "off", host: null, url: null, link: null, since: null, problem: null, publisher: null, hosts: [], ...over.bridge },
  };
}
