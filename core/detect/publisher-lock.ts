// One publisher per bus: a kernel lock on a file in the bus directory, freed by the kernel when its holder dies.
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { tryLock } from "fs-native-extensions";
import { readRegularFile } from "../fs/regular-file";

/** The lock file's name: `*.lock` files are skipped by bus readers and never cleaned as envelopes. */
export const PUBLISHER_LOCK_FILE = "otto-tray-publisher.lock";

/**
 * The first detector to lock the file publishes escalations; the others read only and try again on every
 * tick, so one of them takes over within a tick of the publisher's death (the kernel drops its lock).
 * The lock is an open-file-description lock (flock on macOS), so two detectors in one process exclude
 * each other too. The file is never deleted: deleting it under a waiting detector would let two in.
 */
export class PublisherLock {
  readonly path: string;
  private fd: number | undefined;
  /** Why the last attempt failed other than "another detector holds it" (a missing bus, a planted symlink). */
  failure: string | undefined;

  /** `fileName`: another lock of the same kind in another directory (the bridge's, one per state directory). */
  constructor(dir: string, fileName: string = PUBLISHER_LOCK_FILE) {
    this.path = join(dir, fileName);
  }

  get held(): boolean {
    return this.fd !== undefined;
  }

  /** Tries once, without waiting. Returns whether this detector now holds the lock. */
  tryAcquire(): boolean {
    if (this.fd !== undefined) return true;
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
    } catch (error) {
      // A missing bus, or a symlink planted under the name: nobody publishes through it.
      const code = (error as NodeJS.ErrnoException).code;
      this.failure = code === "ELOOP" ? "it is a symlink" : `cannot open it (${code ?? "error"})`;
      return false;
    }
    try {
      if (!fstatSync(fd).isFile()) {
        this.failure = "it is not a regular file";
        closeSync(fd);
        return false;
      }
      this.failure = undefined;
      if (!tryLock(fd)) {
        closeSync(fd);
        return false;
      }
    } catch (error) {
      this.failure = `cannot lock it (${(error as NodeJS.ErrnoException).code ?? "error"})`;
      closeSync(fd);
      return false;
    }
    this.fd = fd;
    // For the read-only detectors' message only; the lock, not the text, decides.
    try {
      ftruncateSync(fd, 0);
      writeSync(fd, `${process.pid}\n`, 0);
    } catch {
      // The pid is a courtesy.
    }
    return true;
  }

  /**
   * True while the lock still guards the file at `path`: a bus directory removed and made again holds a
   * new lock file that another detector may lock, and then this one must step down.
   */
  stillValid(): boolean {
    if (this.fd === undefined) return false;
    try {
      const open = fstatSync(this.fd);
      const named = lstatSync(this.path);
      return open.ino === named.ino && open.dev === named.dev;
    } catch {
      return false;
    }
  }

  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd); // closing the last descriptor of the open file description drops the lock
    this.fd = undefined;
  }

  /** The pid the current holder wrote, if readable (for "read-only: detector N publishes"). */
  holderPid(): number | undefined {
    const read = readRegularFile(this.path, 64, undefined);
    if (!read.ok) return undefined;
    const pid = Number.parseInt(read.text.trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  }
}
