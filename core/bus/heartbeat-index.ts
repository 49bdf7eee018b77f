// Per-surface history of heartbeats, kept sorted by time: the input of the state function and the streaks.
import type { HeartbeatPayload } from "./envelope";

/** One heartbeat as the detectors see it. */
export interface HeartbeatRecord extends HeartbeatPayload {
  id: string;
  surface: string;
  /** Envelope timestamp in ms since the epoch. */
  at: number;
}

/** Enough history for streaks far past any sane threshold, bounded so a chatty surface cannot grow memory. */
export const MAX_HISTORY_PER_SURFACE = 512;

export class HeartbeatIndex {
  private readonly bySurface = new Map<string, HeartbeatRecord[]>();

  /**
   * Adds (or replaces, by id) a heartbeat. History survives the file's deletion: a cleaned-up
   * envelope still happened, and streaks span longer than a heartbeat's time-to-live.
   */
  add(record: HeartbeatRecord): void {
    let list = this.bySurface.get(record.surface);
    if (list === undefined) {
      list = [];
      this.bySurface.set(record.surface, list);
    }
    const existing = list.findIndex((r) => r.id === record.id);
    if (existing >= 0) list.splice(existing, 1);
    // Writers are mostly in time order, so search from the end. Beats in the same millisecond keep
    // the order they were read in (the best guess at write order).
    let i = list.length;
    while (i > 0 && (list[i - 1] as HeartbeatRecord).at > record.at) i--;
    list.splice(i, 0, record);
    if (list.length > MAX_HISTORY_PER_SURFACE) list.splice(0, list.length - MAX_HISTORY_PER_SURFACE);
  }

  history(surface: string): readonly HeartbeatRecord[] {
    return this.bySurface.get(surface) ?? [];
  }

  latest(surface: string): HeartbeatRecord | undefined {
    const list = this.bySurface.get(surface);
    return list === undefined ? undefined : list[list.length - 1];
  }

  surfaces(): string[] {
    return [...this.bySurface.keys()];
  }
}
