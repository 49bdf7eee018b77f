// The surface state function of DESIGN.md: a pure function of heartbeats, liveness, now and thresholds.
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import type { SurfaceState } from "./types";

export interface StateThresholds {
  staleAfterSeconds: number;
  hungAfterSeconds: number;
  briefAckEscalateAfter: number;
}

export interface SurfaceInputs {
  /** Newest heartbeat, if any. */
  latest: HeartbeatRecord | undefined;
  /** Newest modification time of the surface's activity files (an alive beat without the bus), ms. */
  activityAt: number | undefined;
  briefAckStreak: number;
  /** Process liveness: true alive, false gone, undefined unknown (no pid). */
  alive: boolean | undefined;
  now: number;
  /** After a wake from sleep every heartbeat is old at once: do not call anything hung yet. */
  inWakeGrace: boolean;
  thresholds: StateThresholds;
}

export interface SurfaceEvaluation {
  state: SurfaceState;
  /** Newest beat of any kind (heartbeat or activity file), ms. */
  lastBeatAt: number | undefined;
  /** One line saying why, for the popover and `status`. */
  reason: string;
}

export function evaluateSurface(input: SurfaceInputs): SurfaceEvaluation {
  const { latest, activityAt, alive, now, thresholds } = input;
  const lastBeatAt = maxDefined(latest?.at, activityAt);
  if (lastBeatAt === undefined) return { state: "unknown", lastBeatAt, reason: "never seen" };

  const endedAfterLastActivity = latest?.event === "SessionEnd" && (activityAt === undefined || activityAt <= latest.at);
  if (endedAfterLastActivity) return { state: "offline", lastBeatAt, reason: "session ended" };
  if (alive === false) return { state: "offline", lastBeatAt, reason: `process ${latest?.pid ?? ""} is gone`.trimEnd() };

  const base = reportedState(latest, input.briefAckStreak, thresholds.briefAckEscalateAfter);
  const age = now - lastBeatAt;
  if (age <= thresholds.staleAfterSeconds * 1000) return { state: base, lastBeatAt, reason: describe(base, latest) };

  if (alive === undefined) return { state: "stale", lastBeatAt, reason: "no fresh heartbeat and liveness unknown" };
  // The process lives. A surface that said it is idle or blocked may stay quiet; one that said it works must beat.
  if (base !== "working") return { state: base, lastBeatAt, reason: `${describe(base, latest)}; process alive` };
  if (age >= thresholds.hungAfterSeconds * 1000 && !input.inWakeGrace) {
    return { state: "hung", lastBeatAt, reason: `no heartbeat for ${Math.round(age / 1000)}s while its process lives` };
  }
  return { state: "working", lastBeatAt, reason: "busy; process alive" };
}

/** What the newest heartbeat says, before freshness and liveness are considered. */
function reportedState(latest: HeartbeatRecord | undefined, streak: number, escalateAfter: number): SurfaceState {
  if (latest === undefined) return "working"; // only activity files: they mean alive
  if (latest.waiting !== undefined && latest.waiting !== "") return "waiting";
  if (latest.status === "idle") return streak >= escalateAfter ? "standing-by" : "idle";
  return "working";
}

function describe(state: SurfaceState, latest: HeartbeatRecord | undefined): string {
  if (state === "waiting") return `waiting: ${latest?.waiting ?? ""}`;
  if (state === "standing-by") return "only brief acknowledgements";
  if (latest === undefined) return "activity file changed";
  return `heartbeat says ${latest.status}`;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
