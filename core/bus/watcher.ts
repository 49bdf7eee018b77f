// Watches the bus directory (the platform's directory events) and feeds changed file names to the incremental reader.
import { type FSWatcher, statSync, watch } from "node:fs";
import { basename } from "node:path";
import type { BusReader } from "./reader";
import { rescanNames, RoundRobinVerifier } from "./safety-net";

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
  /**
   * This often the directory's names are compared with the known ones (files added, removed or renamed that no
   * event reported); nothing is listed while the directory itself is unchanged.
   */
  rescanIntervalMs?: number;
  /** Every known file is lstat'ed once in this period, a few on each check (files rewritten in place unreported). */
  verifyIntervalMs?: number;
}

export class BusWatcher {
  private watcher: FSWatcher | undefined;
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private watchedIno: string | undefined;
  private lastRescan = 0;
  private closed = false;
  private readonly verifier: RoundRobinVerifier;

  constructor(private readonly options: BusWatcherOptions) {
    this.verifier = new RoundRobinVerifier(options.reader);
  }

  /**
   * Watches, then scans once: a file written during the scan raises an event (read again only if it changed), so
   * nothing falls between the two. Resolves when the watcher is ready (or the directory is missing).
   */
  async start(): Promise<void> {
    await this.attach();
    this.options.reader.scan();
    this.lastRescan = Date.now();
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
    // One non-recursive watch on the directory: each event names the file added, changed or removed, and a
    // refresh of that name costs one lstat. (chokidar re-listed the whole directory, an lstat per envelope, on
    // every event: with 2,000 envelopes and 10 heartbeats a second that took a whole core.) Recursive fs.watch
    // is what missed deletions on Node 20; this bus is flat.
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: true });
    } catch (error) {
      this.options.onProblem?.(`watching ${dir} failed: ${(error as Error).message}`);
      this.watchedIno = undefined;
      return;
    }
    this.watcher = watcher;
    watcher.on("change", (_event, name) => {
      // Without a name (some platforms, an overflowed queue) only a full scan can tell what changed.
      if (typeof name === "string" && name !== "") this.mark(basename(name));
      else this.rescanSoon();
    });
    watcher.on("error", (error) => {
      this.options.onProblem?.(`watching ${dir} failed: ${error.message}`);
      // Let the next check re-attach.
      this.watchedIno = undefined;
    });
  }

  private rescanSoon(): void {
    if (this.closed || this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.lastRescan = Date.now();
      this.options.reader.scan();
      this.options.onChange();
    }, this.options.debounceMs ?? 15);
  }

  private async detach(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.watchedIno = undefined;
    watcher?.close();
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

  /** Re-attaches when the directory was removed or replaced; compares names and verifies files as a safety net. */
  private async check(): Promise<void> {
    if (this.closed) return;
    const ino = inodeOf(this.options.reader.dir);
    if (ino !== this.watchedIno) {
      await this.detach();
      if (this.closed) return;
      await this.attach();
      this.options.reader.scan();
      this.lastRescan = Date.now();
      this.options.onChange();
      return;
    }
    const reader = this.options.reader;
    const version = reader.version;
    if (Date.now() - this.lastRescan >= (this.options.rescanIntervalMs ?? 60_000)) {
      this.lastRescan = Date.now();
      rescanNames(reader);
    }
    const checksPerRound = Math.max(1, (this.options.verifyIntervalMs ?? 300_000) / (this.options.checkIntervalMs ?? 2000));
    this.verifier.next(Math.ceil(reader.fileCount / checksPerRound));
    // Deletions count too (they parse nothing but change what the detectors see).
    if (reader.version !== version) this.options.onChange();
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
