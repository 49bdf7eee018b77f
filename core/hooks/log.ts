// The hook handler's own log (`<home>/logs/hook.log`, JSON lines): the only place its errors go, since Claude Code must see nothing.
import { closeSync, constants, promises as fsp, writeSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, ensureDirSync } from "../fs/ensure-dir";
import { type LogRotation, rotateIfFull, rotateIfFullAsync } from "../fs/log-rotation";
import { currentUid, openRegularFile } from "../fs/regular-file";

/** Past this size the log is moved to `hook.log.1` (one generation), so a hook failing on every tool call cannot fill the disk. */
export const HOOK_LOG_MAX_BYTES = 1024 * 1024;

const HOOK_LOG_ROTATION: LogRotation = { maxBytes: HOOK_LOG_MAX_BYTES, generations: 1 };

// Non-blocking and not following symlinks: a FIFO put where the log goes must not hang the hook waiting for a reader.
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;

/** Where the hook handler logs, under the state directory. */
export function hookLogPath(homeDir: string): string {
  return join(homeDir, "logs", "hook.log");
}

/** One log line: what failed, for which surface and event. */
export interface HookLogRecord {
  /** `info`: not a failure, but what a person may want to know (why a permission request was not waited on). */
  level: "error" | "warn" | "info";
  message: string;
  surface?: string | undefined;
  event?: string | undefined;
  sessionId?: string | undefined;
  code?: string | undefined;
}

function logLine(record: HookLogRecord, now: Date): string {
  return `${JSON.stringify({ time: now.toISOString(), pid: process.pid, ...record })}\n`;
}

/** Appends one JSON line; returns false instead of throwing when even logging fails. */
export function appendHookLog(homeDir: string, record: HookLogRecord, now: Date = new Date()): boolean {
  try {
    const file = hookLogPath(homeDir);
    ensureDirSync(join(homeDir, "logs"));
    try {
      rotateIfFull(file, HOOK_LOG_ROTATION);
    } catch {
      // A directory that cannot be written: appending below fails by itself, and says so.
    }
    const opened = openRegularFile(file, currentUid(), APPEND_FLAGS, 0o600);
    if (!opened.ok) return false;
    try {
      writeSync(opened.fd, logLine(record, now));
    } finally {
      closeSync(opened.fd);
    }
    return true;
  } catch {
    return false;
  }
}

/** {@link appendHookLog} off the main thread, for the deadline path, where the main thread must not block. */
export async function appendHookLogAsync(homeDir: string, record: HookLogRecord, now: Date = new Date()): Promise<boolean> {
  try {
    await ensureDir(join(homeDir, "logs"));
    // Rotated here too: the deadline path appends as often as the other, and an unrotated log would fill the disk.
    await rotateIfFullAsync(hookLogPath(homeDir), HOOK_LOG_ROTATION).catch(() => false);
    const handle = await fsp.open(hookLogPath(homeDir), APPEND_FLAGS | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
    try {
      const stat = await handle.stat();
      const uid = currentUid();
      if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) return false;
      await handle.write(logLine(record, now));
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  }
}
