// What the engine derives from a surface's heartbeat history (pid, idle run, brief-ack streak), recomputed only when
// that history changed: each walks up to 512 beats, and the engine evaluates every surface every second.
import { PTY_SCREEN_EVENT } from "../bus/envelope";
import type { HeartbeatIndex, HeartbeatRecord } from "../bus/heartbeat-index";
import { briefAckStreak, idleSince, type Streak, type StreakMemory } from "../surfaces/streak";

/** The facts of one history. */
export interface HistoryFacts {
  pid: number | undefined;
  idleSince: number | undefined;
  streak: Streak;
}

interface Cached extends HistoryFacts {
  version: number;
  remembered: StreakMemory | undefined;
}

/** Per-surface memo keyed by the index's history version (and, for the streak, the streak memory it started from). */
export class HistoryFactsCache {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly index: HeartbeatIndex) {}

  facts(surface: string, remembered: StreakMemory | undefined): HistoryFacts {
    const version = this.index.historyVersion(surface);
    const cached = this.cache.get(surface);
    if (cached !== undefined && cached.version === version && sameMemory(cached.remembered, remembered)) return cached;
    const history = this.index.history(surface);
    const fresh: Cached = { version, remembered, pid: pidOf(history), idleSince: idleSince(history), streak: briefAckStreak(history, remembered) };
    this.cache.set(surface, fresh);
    return fresh;
  }
}

function sameMemory(a: StreakMemory | undefined, b: StreakMemory | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return a.startId === b.startId && a.startAt === b.startAt && a.count === b.count && a.lastAt === b.lastAt && a.lastId === b.lastId;
}

/** The pid of the newest heartbeat that carries one within the current session. */
export function pidOf(history: readonly HeartbeatRecord[]): number | undefined {
  // The pid the hooks report (Claude Code's own) wins over a pty host's; the host's counts when there is no other.
  return latestPid(history, (r) => r.event !== PTY_SCREEN_EVENT) ?? latestPid(history, () => true);
}

function latestPid(history: readonly HeartbeatRecord[], counts: (record: HeartbeatRecord) => boolean): number | undefined {
  const latest = history[history.length - 1];
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i] as HeartbeatRecord;
    if (latest?.sessionId !== undefined && r.sessionId !== undefined && r.sessionId !== latest.sessionId) return undefined;
    if (r.pid !== undefined && counts(r)) return r.pid;
    if (r.event === "SessionStart") return undefined;
  }
  return undefined;
}
