// Incremental bus reader: parses only new or changed files, indexes heartbeats, counts what it met.
import { type Dir, lstatSync, opendirSync, type Stats } from "node:fs";
import { join } from "node:path";
import { OTTO_TRAY_SENDER } from "../ids";
import { type DirStamp, stampDir } from "./dir-stamp";
import { type Envelope, isKnownTopic } from "./envelope";
import { type EntryStatus, type EnvelopeMeta, type FileEntry, signatureOf, withoutPayload } from "./file-entry";
import { HeartbeatIndex } from "./heartbeat-index";
import { OwnEnvelopes } from "./own-envelopes";
import { parseEnvelopeText } from "./parse";
import { classifyBusFileName } from "./paths";
import { DEFAULT_MAX_FILE_BYTES, readRegularFile } from "../fs/regular-file";
import { currentUid } from "./trust";

export interface BusReaderOptions {
  /** Files larger than this are rejected unread. */
  maxFileBytes?: number;
  /**
   * How long an unparseable file may stay "pending" (a write in progress) before it counts as
   * rejected; 0 rejects at once (one-shot reads have no next change to wait for).
   */
  retryMalformedMs?: number;
  /** Keep every envelope's payload in memory (for listing); heartbeats and our own envelopes are always kept. */
  keepPayloads?: boolean;
  now?: () => number;
  /** Only files owned by this uid are read; defaults to the current user. */
  uid?: number | undefined;
  /** Surfaces whose heartbeat history outlives their files (the watched ones); other senders are forgotten with theirs. */
  watchedSurfaces?: readonly string[];
  /**
   * Keep only what a long-running detector needs: no envelope per file (`envelopes()` and `envelopeFiles()` then
   * throw) and heartbeats of the watched surfaces only (other senders' files are counted, not indexed). A bus of
   * 20,000 envelopes then costs a few MB instead of tens.
   */
  lean?: boolean;
}

export interface BusCounts {
  /** Valid envelopes, foreign ones included. */
  envelopes: number;
  /** Valid envelopes whose topic Otto Tray does not know; kept, never an error. */
  foreign: number;
  /** Files that looked like envelopes but are not (malformed, hostile, not regular, too large, …). */
  rejected: number;
  /** Unparseable files still within their retry window. */
  pending: number;
}

export type { EnvelopeMeta } from "./file-entry";

export class BusReader {
  readonly dir: string;
  readonly heartbeats: HeartbeatIndex;
  private readonly files = new Map<string, FileEntry>();
  private readonly pending = new Set<string>();
  private readonly own = new OwnEnvelopes();
  private readonly counts_: Record<EntryStatus, number> = { envelope: 0, foreign: 0, rejected: 0, pending: 0 };
  private readonly maxFileBytes: number;
  private readonly retryMalformedMs: number;
  private readonly keepPayloads: boolean;
  private readonly lean: boolean;
  private readonly watched: ReadonlySet<string>;
  private readonly now: () => number;
  private readonly uid: number | undefined;
  /** Bumped on every change that could alter a snapshot. */
  version = 0;
  /** The directory as it was just before the last complete listing (see safety-net.ts). */
  lastListing: DirStamp | undefined;

  constructor(dir: string, options: BusReaderOptions = {}) {
    this.dir = dir;
    this.watched = new Set(options.watchedSurfaces ?? []);
    this.heartbeats = new HeartbeatIndex(this.watched);
    this.lean = options.lean ?? false;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.retryMalformedMs = options.retryMalformedMs ?? 0;
    this.keepPayloads = options.keepPayloads ?? false;
    this.now = options.now ?? Date.now;
    this.uid = "uid" in options ? options.uid : currentUid();
  }

  /** Lists the directory and parses what is new or changed; forgets what is gone. Returns files parsed. */
  scan(): number {
    const stamp = stampDir(this.dir);
    let dir: Dir;
    try {
      dir = opendirSync(this.dir, { bufferSize: 256 });
    } catch {
      // A missing or unreadable directory is reported by the trust check; keep what we know.
      return 0;
    }
    // Entries are taken a batch at a time, not as one array of 20,000: each dies young instead of outliving the scan.
    const seen = new Set<string>();
    let parsed = 0;
    try {
      for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) {
        const name = dirent.name;
        if (classifyBusFileName(name) !== "envelope") continue;
        seen.add(name);
        if (!dirent.isFile()) {
          this.rejectNonRegular(name, dirent.isSymbolicLink());
          continue;
        }
        if (this.refreshRegular(name)) parsed++;
      }
    } catch {
      // The listing broke off: what was not listed may still be there, so nothing is forgotten.
      return parsed;
    } finally {
      dir.closeSync();
    }
    // Deleting the entry being visited is safe while iterating a Map.
    for (const name of this.files.keys()) if (!seen.has(name)) this.forget(name);
    this.settlePending();
    this.lastListing = stamp;
    return parsed;
  }

  /** Whether `name` is known and settled (not a write in progress still being retried). */
  knowsSettled(name: string): boolean {
    return this.files.has(name) && !this.pending.has(name);
  }

  /** The names of the files known, in the order they were first seen (a live view: it sees later changes). */
  knownNames(): IterableIterator<string> {
    return this.files.keys();
  }

  /** How many envelope-named files are known (valid, foreign, rejected or pending). */
  get fileCount(): number {
    return this.files.size;
  }

  /** Re-checks one file by name (after a watcher event). Returns whether it was parsed. */
  refresh(name: string): boolean {
    if (classifyBusFileName(name) !== "envelope") return false;
    let stat: Stats;
    try {
      stat = lstatSync(join(this.dir, name));
    } catch {
      this.forget(name);
      return false;
    }
    if (!stat.isFile()) {
      this.rejectNonRegular(name, stat.isSymbolicLink());
      return false;
    }
    return this.refreshRegular(name, stat);
  }

  /** Drops a file that disappeared. Heartbeat history stays: the beat happened. */
  forget(name: string): void {
    const entry = this.files.get(name);
    if (entry === undefined) return;
    if (entry.beat !== undefined) this.heartbeats.fileGone(entry.beat);
    this.counts_[entry.status]--;
    this.files.delete(name);
    this.pending.delete(name);
    this.version++;
  }

  /** Turns pending files whose retry window has passed into rejected ones. */
  settlePending(): void {
    const now = this.now();
    for (const name of this.pending) {
      const entry = this.files.get(name);
      if (entry === undefined || entry.firstFailedAt === undefined) continue;
      if (now - entry.firstFailedAt >= this.retryMalformedMs) this.setEntry(name, { ...entry, status: "rejected" });
    }
  }

  counts(): BusCounts {
    const c = this.counts_;
    return { envelopes: c.envelope + c.foreign, foreign: c.foreign, rejected: c.rejected, pending: c.pending };
  }

  /** Every valid envelope (payloads only when `keepPayloads`). */
  envelopes(): EnvelopeMeta[] {
    this.assertNotLean("envelopes");
    const out: EnvelopeMeta[] = [];
    for (const entry of this.files.values()) if (entry.envelope !== undefined) out.push(entry.envelope);
    return out;
  }

  /** Files that were rejected, with the reason. */
  rejected(): { file: string; reason: string }[] {
    const out: { file: string; reason: string }[] = [];
    for (const [file, entry] of this.files) if (entry.status === "rejected") out.push({ file, reason: entry.reason ?? "rejected" });
    return out;
  }

  /** Envelopes Otto Tray itself published on `topic`, oldest first (the detectors' memory across restarts). */
  ownEnvelopes(topic: string): readonly Envelope[] {
    return this.own.get(topic);
  }

  /** Envelope file names currently known, with their file names (for clean-up). */
  envelopeFiles(): { file: string; envelope: EnvelopeMeta }[] {
    this.assertNotLean("envelopeFiles");
    const out: { file: string; envelope: EnvelopeMeta }[] = [];
    for (const [file, entry] of this.files) if (entry.envelope !== undefined) out.push({ file, envelope: entry.envelope });
    return out;
  }

  private refreshRegular(name: string, known?: Stats): boolean {
    const path = join(this.dir, name);
    const existing = this.files.get(name);
    // A file never seen is read at once (open + fstat); only a known one needs an lstat to tell whether it changed.
    if (existing !== undefined) {
      let stat = known;
      if (stat === undefined) {
        try {
          stat = lstatSync(path);
        } catch {
          this.forget(name);
          return false;
        }
      }
      if (existing.signature === signatureOf(stat)) return false;
    }

    const read = readRegularFile(path, this.maxFileBytes, this.uid);
    if (!read.ok) {
      if (read.missing) {
        this.forget(name); // removed between listing and opening
        return false;
      }
      this.setEntry(name, { status: "rejected", signature: read.stat ? signatureOf(read.stat) : `error:${read.reason}`, reason: read.reason });
      return true;
    }
    const fresh = signatureOf(read.stat);
    const now = this.now();
    const result = parseEnvelopeText(read.text, name.slice(0, -".json".length), now);
    if (!result.ok) {
      if (result.retryable && this.retryMalformedMs > 0) {
        const firstFailedAt = existing?.status === "pending" ? (existing.firstFailedAt ?? now) : now;
        this.setEntry(name, { status: "pending", signature: fresh, reason: result.reason, firstFailedAt });
      } else {
        this.setEntry(name, { status: "rejected", signature: fresh, reason: result.reason });
      }
      return true;
    }
    const { envelope, heartbeat } = result;
    let beat: string | undefined;
    if (heartbeat !== undefined && envelope.from !== OTTO_TRAY_SENDER && (!this.lean || this.watched.has(envelope.from))) {
      // A beat stamped ahead of our clock would sort after every real beat for minutes (and hide a prompt):
      // order it by when its file was written, or when we saw it, whichever is earlier.
      const stamped = Date.parse(envelope.timestamp);
      const at = stamped > now ? Math.min(now, read.stat.mtimeMs) : stamped;
      this.heartbeats.add({ ...heartbeat, id: envelope.id, surface: envelope.from, at });
      beat = envelope.id;
    }
    if (envelope.from === OTTO_TRAY_SENDER) this.own.remember(envelope);
    const status = isKnownTopic(envelope.topic) ? "envelope" : "foreign";
    const entry: FileEntry = { status, signature: fresh };
    if (!this.lean) entry.envelope = this.keepPayloads ? envelope : withoutPayload(envelope);
    if (beat !== undefined) entry.beat = beat;
    this.setEntry(name, entry);
    return true;
  }

  /** Symlinks, directories, FIFOs, sockets and devices named like envelopes are never opened. */
  private rejectNonRegular(name: string, symlink: boolean): void {
    const reason = symlink ? "is a symlink (not followed)" : "is not a regular file";
    const signature = `type:${reason}`;
    if (this.files.get(name)?.signature === signature) return;
    this.setEntry(name, { status: "rejected", signature, reason });
  }

  /** A lean reader keeps no envelopes: a caller that needs them must not get an empty list that looks like an empty bus. */
  private assertNotLean(what: string): void {
    if (this.lean) throw new Error(`BusReader.${what}(): this reader is lean and keeps no envelopes`);
  }

  private setEntry(name: string, entry: FileEntry): void {
    const previous = this.files.get(name);
    // A heartbeat file rewritten as something else (same name, other content) no longer holds that beat.
    if (previous?.beat !== undefined && previous.beat !== entry.beat) this.heartbeats.fileGone(previous.beat);
    if (previous !== undefined) this.counts_[previous.status]--;
    this.counts_[entry.status]++;
    this.files.set(name, entry);
    if (entry.status === "pending") this.pending.add(name);
    else this.pending.delete(name);
    this.version++;
  }
}
