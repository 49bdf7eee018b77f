// Watches the bus directory (chokidar) and feeds changed file names to the incremental reader.
import { statSync } from "node:fs";
import { basename } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import type { BusReader } from "./reader";

export interface BusWatcherOptions {
  reader: BusReader;
  /** Called after a batch of changes has been applied to the reader. */
  onChange: () => void;
  /** Called when watching fails (the directory vanished, permissions); the watcher keeps trying. */
  onProblem?: (message: string) => void;
  /** Changes arriving within this window are applied together. */
  debounceMs?: number;
  /** How often to check that the directory still exists and is the same one. */
  checkIntervalMs?: number;
  /** A full rescan this often catches anything the platform's events missed. */
  rescanIntervalMs?: number;
}

export class BusWatcher {
  private watcher: FSWatcher | undefined;
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private watchedIno: string | undefined;
  private lastRescan = 0;
  private closed = false;

  constructor(private readonly options: BusWatcherOptions) {}

  /** Scans once, then watches. Resolves when the watcher is ready (or the directory is missing). */
  async start(): Promise<void> {
    this.options.reader.scan();
    this.lastRescan = Date.now();
    await this.attach();
    this.checkTimer = setInterval(() => void this.check(), this.options.checkIntervalMs ?? 2000);
    this.checkTimer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.detach();
  }

  private async attach(): Promise<void> {
    const dir = this.options.reader.dir;
    const ino = inodeOf(dir);
    if (ino === undefined) {
      this.options.onProblem?.(`bus directory ${dir} is missing; waiting for it to appear`);
      return;
    }
    this.watchedIno = ino;
    const watcher = watch(dir, {
      depth: 0,
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      atomic: false,
      persistent: true,
      // Watch the directory only: chokidar would otherwise put a watch on every file (100 000 inotify
      // watches here, one file descriptor each on macOS) and re-list the directory on every change.
      // The directory's raw events name each added, changed or removed file, which is all we need.
      ignored: (path: string) => path !== dir,
    });
    this.watcher = watcher;
    const onPath = (path: string) => this.mark(basename(path));
    // The raw fs.watch event names the file at once (chokidar's own `add` would wait for a re-read of the
    // whole directory); refreshing a name that did not change costs one lstat.
    watcher.on("raw", (_event, path) => {
      if (typeof path === "string" && path !== "") onPath(path);
    });
    watcher.on("error", (error) => this.options.onProblem?.(`watching ${dir} failed: ${(error as Error).message}`));
    await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    // A file written after the last scan but before chokidar watched the directory raises no event
    // (its initial listing is ignored): scan once more now that events are flowing.
    if (this.options.reader.scan() > 0) this.options.onChange();
  }

  private async detach(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.watchedIno = undefined;
    if (watcher) await watcher.close();
  }

  private mark(name: string): void {
    if (this.closed) return;
    this.dirty.add(name);
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), this.options.debounceMs ?? 15);
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    const reader = this.options.reader;
    const names = [...this.dirty];
    this.dirty.clear();
    for (const name of names) reader.refresh(name);
    this.options.onChange();
  }

  /** Re-attaches when the directory was removed or replaced; rescans now and then as a safety net. */
  private async check(): Promise<void> {
    if (this.closed) return;
    const ino = inodeOf(this.options.reader.dir);
    if (ino !== this.watchedIno) {
      await this.detach();
      if (this.closed) return;
      this.options.reader.scan();
      this.lastRescan = Date.now();
      await this.attach();
      this.options.onChange();
      return;
    }
    if (Date.now() - this.lastRescan >= (this.options.rescanIntervalMs ?? 60_000)) {
      this.lastRescan = Date.now();
      if (this.options.reader.scan() > 0) this.options.onChange();
    }
  }
}

/**
 * Identity of the directory: a directory removed and created again often gets the same inode number
 * back (ext4 reuses it at once), so the birth time is part of it where the platform reports one.
 */
function inodeOf(dir: string): string | undefined {
  try {
    const s = statSync(dir);
    return s.isDirectory() ? `${s.dev}:${s.ino}:${s.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}
