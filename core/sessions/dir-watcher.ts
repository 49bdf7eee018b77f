// Wakes the detector when a Claude Code sessions directory changes (a record written, rewritten or removed).
import { type FSWatcher, watch } from "node:fs";

/**
 * One non-recursive watch per sessions directory, as the bus watcher does: an event only schedules a new look
 * (debounced); what is read is decided by the reader. A directory that does not exist yet is watched once it
 * appears ({@link check} is called on every tick), and the detector also reads the registry on every tick, so a
 * missed event (a directory replaced under its watch) costs at most a tick.
 */
export class SessionDirWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dirs: readonly string[],
    private readonly onChange: () => void,
    private readonly debounceMs = 15,
  ) {}

  /** Watches every directory not watched yet that exists now. */
  check(): void {
    if (this.closed) return;
    for (const dir of this.dirs) {
      if (this.watchers.has(dir)) continue;
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false });
      } catch {
        continue; // Not there yet: no Claude Code has run with this config dir.
      }
      watcher.on("change", () => this.schedule());
      watcher.on("error", () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.onChange();
    }, this.debounceMs);
  }
}
