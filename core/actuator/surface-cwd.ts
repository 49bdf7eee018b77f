// Where a surface works, for prompts read from an app's windows (jxa), whose text says nothing about it: the cwd its
// Claude Code hooks put in their heartbeats, else Claude Code's own session record for the pid they report. Unknown
// when nothing says, or when its sessions say different things: the policy then counts every write as outside.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { PTY_SCREEN_EVENT, ttlForTopic } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { checkBusTrust, currentUid } from "../bus/trust";
import { readOwnJsonFile } from "../fs/regular-file";
import { isProcessAlive } from "../process-liveness";

/** A session record is a few hundred bytes; anything much bigger is not one. */
const SESSION_RECORD_MAX_BYTES = 64 * 1024;

export type SurfaceCwd = { cwd: string; source: string } | { cwd: null; reason: string };

/** The working directory of `surface` from the bus (and Claude Code's session records), or why it is unknown. */
export function surfaceWorkingDir(busDir: string, surface: string, env: NodeJS.ProcessEnv = process.env): SurfaceCwd {
  const trust = checkBusTrust(busDir);
  if (!trust.trusted) return { cwd: null, reason: `the bus cannot be trusted to say it (${trust.reason ?? "untrusted"})` };
  const reader = new BusReader(busDir, { watchedSurfaces: [surface] });
  reader.scan();
  // The hosted screen's beats say nothing about a directory; each session's newest beat is where it is now.
  const latest = new Map<string, HeartbeatRecord>();
  for (const beat of reader.heartbeats.history(surface)) {
    if (beat.event === PTY_SCREEN_EVENT) continue;
    latest.set(beat.sessionId ?? `pid ${beat.pid ?? "?"}`, beat);
  }
  const found = new Map<string, string>();
  const now = Date.now();
  for (const beat of latest.values()) {
    if (beat.event === "SessionEnd" || !stillRunning(beat, now)) continue;
    const one = cwdOf(beat, env);
    if (one !== undefined && !found.has(one.cwd)) found.set(one.cwd, one.source);
  }
  const [first, ...others] = found.entries();
  if (first === undefined) return { cwd: null, reason: `no heartbeat of ${surface} on the bus names its working directory` };
  // Which of several sessions shows the prompt cannot be told from the prompt: none of their directories is assumed.
  if (others.length > 0) return { cwd: null, reason: `${surface}'s sessions work in different directories (${[...found.keys()].join(", ")})` };
  // The root or the home directory is no project: the policy's workingDirs counts every write there as outside.
  const [cwd, source] = first;
  return { cwd, source };
}

// A session whose Claude Code is gone shows no prompt; without a pid, only a beat young enough to be on the bus counts.
function stillRunning(beat: HeartbeatRecord, now: number): boolean {
  return beat.pid === undefined ? now - beat.at <= ttlForTopic("heartbeat") : isProcessAlive({ pid: beat.pid });
}

function cwdOf(beat: HeartbeatRecord, env: NodeJS.ProcessEnv): { cwd: string; source: string } | undefined {
  if (beat.cwd !== undefined && isAbsolute(beat.cwd)) return { cwd: beat.cwd, source: `its heartbeat of ${new Date(beat.at).toISOString()}` };
  if (beat.pid === undefined) return undefined;
  const record = sessionRecordPath(env, beat.pid);
  const cwd = readSessionCwd(record, beat.pid);
  return cwd === undefined ? undefined : { cwd, source: `Claude Code's session record ${record}` };
}

/** Claude Code's record of its running session `pid`: `$CLAUDE_CONFIG_DIR/sessions/<pid>.json` (else ~/.claude). */
export function sessionRecordPath(env: NodeJS.ProcessEnv, pid: number): string {
  return join(env.CLAUDE_CONFIG_DIR || join(homedir(), ".claude"), "sessions", `${pid}.json`);
}

// The record's cwd, only from a regular file of this user's for a process still running (a dead one's record may
// be left over, and its pid reused).
function readSessionCwd(path: string, pid: number): string | undefined {
  if (!isProcessAlive({ pid })) return undefined;
  // Claude Code writes these; a regular file of ours, read within a bound, never a FIFO waited on.
  const read = readOwnJsonFile(path, SESSION_RECORD_MAX_BYTES, currentUid());
  if (read.kind !== "ok") return undefined;
  const record = read.value as { pid?: unknown; cwd?: unknown } | null;
  return record?.pid === pid && typeof record.cwd === "string" && isAbsolute(record.cwd) ? record.cwd : undefined;
}
