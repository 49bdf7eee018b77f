// Brief-acknowledgement streaks and idle runs, computed from a surface's heartbeat history (pure).
import { PTY_SCREEN_EVENT, TASK_NOTIFICATION_EVENT } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";

export interface Streak {
  /** Consecutive brief acknowledgements since the last reset. */
  count: number;
  /** Id of the heartbeat that started the streak: names the streak, so it is escalated once. */
  startId?: string;
  startAt?: number;
}

// Events that mean a person spoke or the surface did real work, or a session boundary.
const RESET_EVENTS = new Set(["UserPromptSubmit", "PreToolUse", "PostToolUse", "SessionStart", "SessionEnd"]);

/** True when a heartbeat ends a brief-ack streak. */
export function resetsStreak(record: HeartbeatRecord): boolean {
  if (record.briefAck === true) return false;
  // A background task finishing (core/hooks/map.ts): Claude Code speaking to itself, not the person.
  if (record.event === TASK_NOTIFICATION_EVENT) return false;
  // A hosted session's screen (a spinner is "working"): the hooks own the streak.
  if (record.event === PTY_SCREEN_EVENT) return false;
  if (record.event !== undefined && RESET_EVENTS.has(record.event)) return true;
  if (record.status === "working") return true;
  // A finished turn that was not brief is real work.
  return record.event === "Stop";
}

/**
 * What a detector remembers of a surface's streak, so the streak keeps its id and count when its first
 * beats leave the kept history (trimmed at 512 beats, or their files cleaned off the bus).
 */
export interface StreakMemory {
  startId: string;
  startAt: number;
  count: number;
  /** The streak ran unbroken through every beat up to this time (the newest beat seen then)... */
  lastAt: number;
  /** ...and this beat: beats after it in the history are new, even in the same millisecond. */
  lastId?: string;
}

/**
 * Walks back from the newest heartbeat; other heartbeats (notifications, plain idle beats) neither count nor
 * reset. When the walk reaches the oldest kept beat without a reset, the streak may have begun earlier: if
 * `remembered` reaches into the kept history (its last beat is not older than the oldest kept one), the
 * streak is that one continued, with its id, start and count.
 */
export function briefAckStreak(history: readonly HeartbeatRecord[], remembered?: StreakMemory): Streak {
  let count = 0;
  let start: HeartbeatRecord | undefined;
  let reset = false;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i] as HeartbeatRecord;
    if (record.briefAck === true) {
      count++;
      start = record;
    } else if (resetsStreak(record)) {
      reset = true;
      break;
    }
  }
  const oldest = history[0];
  if (!reset && remembered !== undefined && oldest !== undefined && oldest.at <= remembered.lastAt) {
    const last = remembered.lastId === undefined ? -1 : history.findLastIndex((r) => r.id === remembered.lastId);
    const newer = last >= 0 ? history.slice(last + 1) : history.filter((r) => r.at > remembered.lastAt);
    const added = newer.filter((r) => r.briefAck === true).length;
    // What is visible can only add to what was counted before.
    return { count: Math.max(count, remembered.count + added), startId: remembered.startId, startAt: remembered.startAt };
  }
  return start === undefined ? { count } : { count, startId: start.id, startAt: start.at };
}

/** The memory to keep of `streak` after an evaluation of `history` (undefined when no streak runs). */
export function rememberStreak(streak: Streak, history: readonly HeartbeatRecord[]): StreakMemory | undefined {
  const newest = history[history.length - 1];
  if (streak.startId === undefined || streak.startAt === undefined || newest === undefined) return undefined;
  return { startId: streak.startId, startAt: streak.startAt, count: streak.count, lastAt: newest.at, lastId: newest.id };
}

/** When the current run of idle heartbeats began (undefined unless the newest says idle). */
export function idleSince(history: readonly HeartbeatRecord[]): number | undefined {
  let since: number | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i] as HeartbeatRecord;
    if (record.status !== "idle" || record.waiting !== undefined || record.event === "SessionEnd") break;
    since = record.at;
  }
  return since;
}
