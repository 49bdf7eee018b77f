// Kernel advisory locks (OFD/flock via fs-native-extensions): freed by the kernel when the holder dies, unlike mkdir locks.
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { tryLock, unlock } from "fs-native-extensions";
import { LockTimeoutError } from "./errors";
import { sleep } from "./git";

/** How long to wait for a lock before giving up (default 10 minutes: a `worktree add` of a big repository is slow). */
export interface LockOptions {
  timeoutMs?: number;
}

// Waiters inside this process queue here first, so only one of them polls the kernel lock per file.
const queues = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding an exclusive kernel lock on `path` (created if needed, never deleted: deleting a lock
 * file while another process waits on its inode would let two holders in).
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  queues.set(path, tail);
  try {
    await previous;
    const fd = await acquire(path, options.timeoutMs ?? 600_000);
    try {
      return await fn();
    } finally {
      unlock(fd);
      closeSync(fd);
    }
  } finally {
    done();
    if (queues.get(path) === tail) queues.delete(path);
  }
}

// Polls with backoff instead of a blocking wait: a blocked wait would occupy a libuv thread that the holder may need.
async function acquire(path: string, timeoutMs: number): Promise<number> {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a+");
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  try {
    for (;;) {
      if (tryLock(fd)) return fd;
      if (Date.now() >= deadline) throw new LockTimeoutError(path, timeoutMs);
      await sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 50);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
