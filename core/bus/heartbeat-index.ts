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
  /** Ids currently kept, so a re-read file replaces its record instead of adding a second one. */
  private readonly ids = new Set<string>();
  /** Heartbeats whose files are on the bus now (id → surface), and how many each surface has. */
  private readonly present = new Map<string, string>();
  private readonly presentPerSurface = new Map<string, number>();
  /** Per surface, a number that changes whenever its history may have (see {@link historyVersion}). */
  private readonly versions = new Map<string, number>();
  private changes = 0;

  /**
   * `watched`: surfaces whose history is kept even when all their files are gone (what the detector
   * watches: its last beats are the evidence of its state); every other sender is forgotten then.
   */
  constructor(private readonly watched: ReadonlySet<string> = new Set()) {}

  /**
   * Adds (or replaces, by id) a heartbeat whose file is on the bus. History survives the file's deletion
   * while the surface has other files: a cleaned-up envelope still happened, and streaks span longer than
   * a heartbeat's time-to-live.
   */
  add(record: HeartbeatRecord): void {
    this.versions.set(record.surface, ++this.changes);
    if (!this.present.has(record.id)) {
      this.present.set(record.id, record.surface);
      this.presentPerSurface.set(record.surface, (this.presentPerSurface.get(record.surface) ?? 0) + 1);
    }
    let list = this.bySurface.get(record.surface);
    if (list === undefined) {
      list = [];
      this.bySurface.set(record.surface, list);
    }
    if (this.ids.has(record.id)) {
      const existing = list.findIndex((r) => r.id === record.id);
      if (existing >= 0) list.splice(existing, 1);
      this.ids.delete(record.id);
    }
    const full = list.length >= MAX_HISTORY_PER_SURFACE;
    // Older than everything a full history keeps: it could never be shown (cold reads meet many of these).
    if (full && record.at < (list[0] as HeartbeatRecord).at) return;
    // Beats in the same millisecond keep the order they were read in (the best guess at write order).
    list.splice(insertionIndex(list, record.at), 0, record);
    this.ids.add(record.id);
    if (list.length > MAX_HISTORY_PER_SURFACE) {
      for (const dropped of list.splice(0, list.length - MAX_HISTORY_PER_SURFACE)) this.ids.delete(dropped.id);
    }
  }

  /**
   * The file of heartbeat `id` is gone. A sender none of whose files remain is forgotten entirely, unless
   * it is watched, so thousands of one-off senders cannot grow memory.
   */
  fileGone(id: string): void {
    const surface = this.present.get(id);
    if (surface === undefined) return;
    this.present.delete(id);
    const left = (this.presentPerSurface.get(surface) ?? 1) - 1;
    if (left > 0) {
      this.presentPerSurface.set(surface, left);
      return;
    }
    this.presentPerSurface.delete(surface);
    if (this.watched.has(surface)) return;
    for (const r of this.bySurface.get(surface) ?? []) this.ids.delete(r.id);
    this.bySurface.delete(surface);
    this.versions.delete(surface);
  }

  /** How many heartbeat ids are held (kept in histories or with a file on the bus). */
  size(): { kept: number; present: number; surfaces: number } {
    return { kept: this.ids.size, present: this.present.size, surfaces: this.bySurface.size };
  }

  /**
   * Changes whenever `surface`'s history may have changed (0: no history), so what is derived from a history
   * (its pid, its streak) is computed again only then, not on every tick.
   */
  historyVersion(surface: string): number {
    return this.versions.get(surface) ?? 0;
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

/** First index whose record is later than `at` (binary search; writers are mostly in order, so check the end first). */
function insertionIndex(list: readonly HeartbeatRecord[], at: number): number {
  const last = list[list.length - 1];
  if (last === undefined || last.at <= at) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as HeartbeatRecord).at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
