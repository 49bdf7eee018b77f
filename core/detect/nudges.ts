// Standing-by streaks: one `infinite-backlog-nudge` to a surface when its brief-ack streak reaches the threshold.
import type { NudgePayload } from "../bus/envelope";
import type { Streak } from "../surfaces/streak";

export interface NudgeCandidate {
  id: string;
  streak: Streak;
  /** Ms since the surface's last non-brief activity began to look idle (for the rationale). */
  idleSince: number | undefined;
}

/** How many nudged streak ids are remembered (and saved): far more than the surfaces can have open streaks. */
export const MAX_REMEMBERED_NUDGES = 256;

export class NudgeTracker {
  /** Insertion-ordered, so the oldest is forgotten first. */
  private readonly nudged = new Set<string>();

  constructor(private threshold: number) {}

  setThreshold(threshold: number): void {
    this.threshold = threshold;
  }

  /** Records a streak as nudged: after its nudge was written, or read back from the saved state or the bus. */
  remember(streakId: string): void {
    this.nudged.delete(streakId);
    this.nudged.add(streakId);
    if (this.nudged.size > MAX_REMEMBERED_NUDGES) this.nudged.delete(this.nudged.values().next().value as string);
  }

  /** Nudged streak ids, oldest first (what the publisher saves). */
  remembered(): string[] {
    return [...this.nudged];
  }

  /**
   * Returns the nudges due now: one per streak not yet nudged. Nothing is marked here: the caller
   * calls `remember` once the nudge is written, so a failed write is tried again.
   */
  update(now: number, candidates: readonly NudgeCandidate[]): { to: string; payload: NudgePayload }[] {
    const out: { to: string; payload: NudgePayload }[] = [];
    for (const c of candidates) {
      const { streak } = c;
      if (streak.count < this.threshold || streak.startId === undefined) continue;
      const streakId = `${c.id}:${streak.startId}`;
      if (this.nudged.has(streakId)) continue;
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
