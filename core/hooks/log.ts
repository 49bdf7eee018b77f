// The hook handler's own log (`<home>/logs/hook.log`, JSON lines): the only place its errors go, since Claude Code must see nothing.
import { appendFileSync, promises as fsp, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, ensureDirSync } from "../fs/ensure-dir";

/** Past this size the log is moved to `hook.log.1` (one generation), so a hook failing on every tool call cannot fill the disk. */
export const HOOK_LOG_MAX_BYTES = 1024 * 1024;

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

/** Appends one JSON line; returns false instead of throwing when even logging fails. */
export function appendHookLog(homeDir: string, record: HookLogRecord, now: Date = new Date()): boolean {
  try {
    const file = hookLogPath(homeDir);
    ensureDirSync(join(homeDir, "logs"));
    try {
      if (statSync(file).size > HOOK_LOG_MAX_BYTES) renameSync(file, `${file}.1`);
    } catch {
      // No log yet, or a rename race with another hook process: appending below still works.
    }
    appendFileSync(file, `${JSON.stringify({ time: now.toISOString(), pid: process.pid, ...record })}\n`, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/** {@link appendHookLog} off the main thread, for the deadline path, where the main thread must not block. */
export async function appendHookLogAsync(homeDir: string, record: HookLogRecord, now: Date = new Date()): Promise<boolean> {
  try {
    await ensureDir(join(homeDir, "logs"));
    await fsp.appendFile(hookLogPath(homeDir), `${JSON.stringify({ time: now.toISOString(), pid: process.pid, ...record })}\n`, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}
