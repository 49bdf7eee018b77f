// One list of sessions: registry rows joined with the sessions `otto-tray run` hosts.
import type { SessionRow } from "./session-rows";

/** What a hosted session adds: the surface it was started for and its host's liveness. */
export interface HostedSession {
  surface: string;
  /** The host's own id (not Claude Code's). */
  sessionId: string;
  childPid: number;
  alive: boolean;
  cwd: string;
}

/**
 * Joins on the Claude Code process: a host's own session id is not Claude Code's, but its child's pid is the pid
 * of Claude Code's record. A hosted session found in the registry keeps the registry's facts and gains the
 * source; one not found there (another program, or a Claude Code that has not written its record yet) is a row
 * of its own, whose state only the screen can tell (`unknown`), or `ended` when its host is gone.
 */
export function joinHosted(rows: readonly SessionRow[], hosted: readonly HostedSession[]): SessionRow[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const joined: SessionRow[] = [];
  for (const h of hosted) {
    const row = byPid.get(h.childPid);
    if (row !== undefined && row.state !== "ended") {
      byPid.delete(h.childPid);
      joined.push({ ...row, surface: row.surface ?? h.surface, source: [...row.source, "pty-host"] });
      continue;
    }
    joined.push({ pid: h.childPid, sessionId: h.sessionId, surface: h.surface, state: h.alive ? "unknown" : "ended", name: null, cwd: h.cwd, branch: null, waitingFor: null, since: null, source: ["pty-host"], version: null, entrypoint: null });
  }
  return [...joined, ...rows.filter((r) => byPid.get(r.pid) === r)];
}
