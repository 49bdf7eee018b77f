// Brief-acknowledgement streaks and idle runs, computed from a surface's heartbeat history (pure).
import { TASK_NOTIFICATION_EVENT } from "../bus/envelope";
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
  if (record.event !== undefined && RESET_EVENTS.has(record.event)) return true;
  if (record.status === "working") return true;
  // A finished turn that was not brief is real work.
  return record.event === "Stop";
}

/** Walks back from the newest heartbeat; other heartbeats (notifications, plain idle beats) neither count nor reset. */
export function briefAckStreak(history: readonly HeartbeatRecord[]): Streak {
  let count = 0;
  let start: HeartbeatRecord | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i] as HeartbeatRecord;
    if (record.briefAck === true) {
      count++;
      start = record;
    } else if (resetsStreak(record)) {
      break;
    }
  }
  return start === undefined ? { count } : { count, startId: start.id, startAt: start.at };
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
