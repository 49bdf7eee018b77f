// One state per surface from its Claude Code sessions: the most urgent state of its live sessions (a written precedence).
import type { SurfaceState } from "../surfaces/types";
import type { SessionRow } from "./session-rows";

/** Most urgent first: a surface is in the first of these states any of its live sessions is in. */
export const SESSION_STATE_PRECEDENCE = ["waiting", "hung", "working", "idle"] as const;

export interface SurfaceFromSessions {
  state: SurfaceState;
  reason: string;
  /** What the deciding session waits for (null unless waiting). */
  waiting: string | null;
  /** When the deciding session entered its state, ms (undefined when not known). */
  since: number | undefined;
}

type Facts = Pick<SessionRow, "pid" | "surface" | "state" | "name" | "waitingFor" | "since">;

/**
 * The surface's state by its sessions, or undefined when none of its sessions says (no session, or only ones whose
 * status is unknown): then its heartbeats decide, as for surfaces that are not Claude Code. A surface whose
 * sessions all ended is `offline`, never still working, idle or waiting.
 */
export function surfaceFromSessions(surface: string, sessions: readonly Facts[]): SurfaceFromSessions | undefined {
  const own = sessions.filter((s) => s.surface === surface);
  for (const state of SESSION_STATE_PRECEDENCE) {
    const deciding = own.filter((s) => s.state === state);
    const first = deciding[0];
    if (first === undefined) continue;
    const more = own.filter((s) => s.state !== "ended").length - 1;
    const who = `Claude Code session ${first.name ?? first.pid}`;
    const detail = state === "waiting" && first.waitingFor !== null ? `waiting: ${first.waitingFor}` : state;
    return {
      state,
      reason: `${who}: ${detail}${more > 0 ? ` (${more} more session${more === 1 ? "" : "s"})` : ""}`,
      waiting: state === "waiting" ? (first.waitingFor ?? "") : null,
      since: first.since === null ? undefined : Date.parse(first.since),
    };
  }
  if (own.length > 0 && own.every((s) => s.state === "ended")) return { state: "offline", reason: "its Claude Code session ended", waiting: null, since: undefined };
  return undefined;
}

/**
 * Joins what the heartbeats say with what the sessions say. Claude Code's own word wins for idle, working and
 * waiting; the heartbeats add what the registry cannot know: `hung` over a working session, `standing-by` over an
 * idle one. An ended session does not override a heartbeat whose process is known to live (a session of a config
 * directory not followed, with hooks).
 */
export function combineSurfaceState(fromBus: SurfaceState, fromSessions: SurfaceFromSessions | undefined, busProcessAlive: boolean | undefined): SurfaceState | undefined {
  if (fromSessions === undefined) return undefined;
  if (fromSessions.state === "offline") return busProcessAlive === true ? undefined : "offline";
  if (fromSessions.state === "working" && fromBus === "hung") return "hung";
  if (fromSessions.state === "idle" && fromBus === "standing-by") return "standing-by";
  return fromSessions.state;
}
