// Standing-by streaks: one `infinite-backlog-nudge` to a surface when its brief-ack streak reaches the threshold.
import type { NudgePayload } from "../bus/envelope";
import type { Streak } from "../surfaces/streak";

export interface NudgeCandidate {
  id: string;
  streak: Streak;
  /** Ms since the surface's last non-brief activity began to look idle (for the rationale). */
  idleSince: number | undefined;
}

export class NudgeTracker {
  private readonly nudged = new Set<string>();

  constructor(private threshold: number) {}

  setThreshold(threshold: number): void {
    this.threshold = threshold;
  }

  /** Streaks already nudged (read back from the bus after a restart). */
  remember(streakId: string): void {
    this.nudged.add(streakId);
  }

  /** Returns the nudges to publish now: at most one per streak, ever. */
  update(now: number, candidates: readonly NudgeCandidate[]): { to: string; payload: NudgePayload }[] {
    const out: { to: string; payload: NudgePayload }[] = [];
    for (const c of candidates) {
      const { streak } = c;
      if (streak.count < this.threshold || streak.startId === undefined) continue;
      const streakId = `${c.id}:${streak.startId}`;
      if (this.nudged.has(streakId)) continue;
      this.nudged.add(streakId);
      const since = streak.startAt ?? c.idleSince ?? now;
      const idleMinutes = Math.round(((now - since) / 60_000) * 10) / 10;
      out.push({
        to: c.id,
        payload: {
          idleMinutes,
          rationale: `Standing-by detected: ${streak.count} brief acknowledgements in a row over ${idleMinutes}min`,
          surface: c.id,
          streak: streak.count,
          streakId,
        },
      });
    }
    return out;
  }
}
