// Who counts towards a standing-by quorum: idle now, by a recent heartbeat or a living process (pure).
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import type { SurfaceState } from "../surfaces/types";

export interface MembershipInput {
  /** The surface's state from the state function. */
  state: SurfaceState;
  /** Its newest heartbeat. */
  latest: HeartbeatRecord | undefined;
  /** Process liveness: true alive, false gone, undefined unknown (no pid). */
  alive: boolean | undefined;
  now: number;
  quorumWindowSeconds: number;
}

// States that rule a surface out whatever its last heartbeat said.
const EXCLUDED: ReadonlySet<SurfaceState> = new Set(["working", "waiting", "hung", "offline", "unknown"]);

/**
 * A surface counts while its latest heartbeat says idle (or it is standing-by) and either that beat is
 * within `quorumWindowSeconds` or its process is known to be alive. "Idle in the window" means idle now:
 * a Claude Code session idle at its prompt sends no more heartbeats, so a living pid keeps it counting
 * however old its last beat; without a pid the beat itself must be recent (the surface may be `stale`
 * after `staleAfterSeconds` and still count until the window ends).
 */
export function isQuorumMember(input: MembershipInput): boolean {
  const { state, latest, alive, now } = input;
  if (latest === undefined || EXCLUDED.has(state) || alive === false) return false;
  const saysIdle = latest.status === "idle" && (latest.waiting === undefined || latest.waiting === "") && latest.event !== "SessionEnd";
  if (!saysIdle) return false;
  return alive === true || now - latest.at <= input.quorumWindowSeconds * 1000;
}
