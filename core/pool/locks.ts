// Kernel advisory locks (OFD/flock via fs-native-extensions): freed by the kernel when the holder dies, unlike mkdir locks.
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { tryLock, unlock } from "fs-native-extensions";
import { LockTimeoutError } from "./errors";
import { gitTimeoutMs, sleep } from "./git";

/** How long to wait for a lock before giving up. */
export interface LockOptions {
  /** Default {@link lockTimeoutMs}: a holder runs at most one slow git call at a time, and each is bounded. */
  timeoutMs?: number;
}

/** The default bound of a lock wait: one git call's bound plus a minute, so a waiter outlasts a holder's hung call. */
export function lockTimeoutMs(): number {
  return gitTimeoutMs() + 60_000;
}

// Waiters inside this process queue here first, so only one of them polls the kernel lock per file.
const queues = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding an exclusive kernel lock on `path` (created if needed, never deleted: deleting a lock
 * file while another process waits on its inode would let two holders in). The whole wait, in this process's queue
 * and then on the kernel lock, is bounded by one deadline; past it a LockTimeoutError names the lock.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? lockTimeoutMs();
  const deadline = Date.now() + timeoutMs;
  const previous = queues.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  queues.set(path, tail);
  try {
    await waitUntil(previous, deadline, () => new LockTimeoutError(path, timeoutMs, "another call in this process holds it"));
    const fd = await acquire(path, deadline, timeoutMs);
    try {
      return await fn();
    } finally {
      unlock(fd);
      closeSync(fd);
    }
  } finally {
    // A waiter that gave up still passes its turn on once the ones before it are done, so the queue never breaks.
    done();
    if (queues.get(path) === tail) queues.delete(path);
  }
}

// Resolves when `promise` does, or rejects with `timeout()` at the deadline.
async function waitUntil(promise: Promise<void>, deadline: number, timeout: () => Error): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeout()), Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// Polls with backoff instead of a blocking wait: a blocked wait would occupy a libuv thread that the holder may need.
async function acquire(path: string, deadline: number, timeoutMs: number): Promise<number> {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a+");
  let delay = 1;
  try {
    for (;;) {
      if (tryLock(fd)) return fd;
      if (Date.now() >= deadline) throw new LockTimeoutError(path, timeoutMs, "another otto-tray process holds it; the kernel frees it when that process exits");
      await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 50);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
