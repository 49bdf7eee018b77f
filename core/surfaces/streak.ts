// Brief-acknowledgement streaks and idle runs, computed from a surface's heartbeat history (pure).
import { HOOK_CONTINUATION_EVENT, PTY_SCREEN_EVENT, TASK_NOTIFICATION_EVENT } from "../bus/envelope";
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
  // A turn a hook made the agent go on with: a loop, not the person speaking (Gemini CLI's continuation).
  if (record.event === HOOK_CONTINUATION_EVENT) return false;
  // A hosted session's screen (a spinner is "working"): the hooks own the streak.
  if (record.event === PTY_SCREEN_EVENT) return false;
  if (record.event !== undefined && RESET_EVENTS.has(record.event)) return true;
  if (record.status === "working") return true;
  // A finished turn that was not brief is real work.
  return record.event === "Stop";
}

/**
 * What a detector remembers of a surface's streak at the newest beat it saw, so the streak keeps its id and
 * count when its first beats leave the kept history (trimmed at 512 beats, or their files cleaned off the bus),
 * and a streak that a reset ended is not named anew when that reset's file is gone.
 */
export interface StreakMemory {
  /** The running streak (absent: none ran, the newest beat seen was a reset or came after one with no ack). */
  startId?: string;
  startAt?: number;
  count: number;
  /** The memory covers every beat up to this time (the newest beat seen then)... */
  lastAt: number;
  /** ...and this beat: beats after it in the history are new, even in the same millisecond. */
  lastId?: string;
}

/**
 * Walks back from the newest heartbeat; other heartbeats (notifications, plain idle beats) neither count nor
 * reset. When `remembered` reaches into the kept history (its last beat is not older than the oldest kept
 * one), it stands for every beat up to its last one, whichever of them are gone: only a reset after that
 * starts a new streak, and acks after it add to the remembered streak (or start one when none ran).
 */
export function briefAckStreak(history: readonly HeartbeatRecord[], remembered?: StreakMemory): Streak {
  let count = 0;
  let start: HeartbeatRecord | undefined;
  let resetIndex = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i] as HeartbeatRecord;
    if (record.briefAck === true) {
      count++;
      start = record;
    } else if (resetsStreak(record)) {
      resetIndex = i;
      break;
    }
  }
  const walked: Streak = start === undefined ? { count } : { count, startId: start.id, startAt: start.at };
  const oldest = history[0];
  if (remembered === undefined || oldest === undefined || oldest.at > remembered.lastAt) return walked;
  const last = remembered.lastId === undefined ? -1 : history.findLastIndex((r) => r.id === remembered.lastId);
  const firstNew = last >= 0 ? last + 1 : history.findIndex((r) => r.at > remembered.lastAt);
  const newer = firstNew < 0 ? [] : history.slice(firstNew);
  // A reset among the new beats ends what was remembered; one among the remembered beats came before it
  // (the beats between may be gone: a restarted detector must not name the same streak by a later beat).
  if (firstNew >= 0 && resetIndex >= firstNew) return walked;
  const added = newer.filter((r) => r.briefAck === true);
  if (remembered.startId === undefined || remembered.startAt === undefined) {
    const first = added[0];
    return first === undefined ? { count: 0 } : { count: added.length, startId: first.id, startAt: first.at };
  }
  const startAt = remembered.startAt;
  // What is visible of the streak can only add to what was counted before.
  const visible = history.slice(resetIndex + 1).filter((r) => r.briefAck === true && r.at >= startAt).length;
  return { count: Math.max(visible, remembered.count + added.length), startId: remembered.startId, startAt };
}

/** The memory to keep after an evaluation of `history` that found `streak` (undefined when no beat is left). */
export function rememberStreak(streak: Streak, history: readonly HeartbeatRecord[]): StreakMemory | undefined {
  const newest = history[history.length - 1];
  if (newest === undefined) return undefined;
  const running = streak.startId === undefined || streak.startAt === undefined ? {} : { startId: streak.startId, startAt: streak.startAt };
  return { ...running, count: running.startId === undefined ? 0 : streak.count, lastAt: newest.at, lastId: newest.id };
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
