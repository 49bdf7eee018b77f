// Pure functions from the snapshot's Claude Code sessions to the popover's session lines: a surface's few, and the other sessions.
import type { AppSnapshot, SessionView } from "../../core/api";
import { formatAge } from "../../core/text/format-age";
import type { Tone } from "./view-model";

/** Under a surface's row at most this many sessions are listed; the rest are counted ("+N more"). */
export const SESSIONS_SHOWN_PER_SURFACE = 3;

type SessionState = SessionView["state"];

/** A word for each session state (colour is never the only signal); `busy` arrives here as working already. */
const SESSION_WORDS: Readonly<Record<SessionState, string>> = { working: "Working", hung: "Hung", idle: "Idle", waiting: "Waiting", ended: "Ended", unknown: "Unknown" };
const SESSION_TONES: Readonly<Record<SessionState, Tone>> = { working: "ok", hung: "alarm", idle: "calm", waiting: "attention", ended: "muted", unknown: "muted" };
/** Listing order: what needs a person first, ended sessions last (so they are the ones folded into "+N more"). */
const ORDER: readonly SessionState[] = ["waiting", "hung", "working", "idle", "unknown", "ended"];

export interface SessionLineModel {
  pid: number;
  /** The session's name, or the start of its id when it has none. */
  title: string;
  /** The state word and for how long: "Waiting 12s"; "Ended" with no age. */
  word: string;
  tone: Tone;
  /** The working directory, shortened to its last two parts. */
  where: string;
  branch: string | null;
  /** "waits for permission prompt" while waiting, else null. */
  waits: string | null;
  ended: boolean;
}

/** `/Users/ann/src/repo/pkg` → `…/repo/pkg`: the last two parts say which checkout; the popover has no room for more. */
export function shortCwd(cwd: string): string {
  const parts = cwd.split("/").filter((p) => p !== "");
  if (parts.length <= 2) return cwd;
  return `…/${parts.slice(-2).join("/")}`;
}

export function sessionLine(session: SessionView, now: number): SessionLineModel {
  const since = session.state === "ended" || session.since === null ? null : Date.parse(session.since);
  const word = SESSION_WORDS[session.state];
  return {
    pid: session.pid,
    title: session.name ?? session.sessionId.slice(0, 8),
    word: since === null || !Number.isFinite(since) ? word : `${word} ${formatAge(now - since)}`,
    tone: SESSION_TONES[session.state],
    where: shortCwd(session.cwd),
    branch: session.branch,
    waits: session.state === "waiting" && session.waitingFor !== null && session.waitingFor !== "" ? `waits for ${session.waitingFor}` : null,
    ended: session.state === "ended",
  };
}

function ordered(sessions: readonly SessionView[]): SessionView[] {
  return [...sessions].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.pid - b.pid);
}

export interface SessionGroupModel {
  /** The lines shown. */
  lines: SessionLineModel[];
  /** How many more there are (shown as "+N more"). */
  more: number;
  total: number;
}

/** The sessions a surface's rule claims: the first {@link SESSIONS_SHOWN_PER_SURFACE}, live ones first. */
export function surfaceSessions(surfaceId: string, snapshot: Pick<AppSnapshot, "detector">, now: number): SessionGroupModel {
  const own = ordered(snapshot.detector.sessions.filter((s) => s.surface === surfaceId));
  const lines = own.slice(0, SESSIONS_SHOWN_PER_SURFACE).map((s) => sessionLine(s, now));
  return { lines, more: own.length - lines.length, total: own.length };
}

/** The sessions no rule claims (shown under one collapsed "Other sessions (N)" line; never counted towards a quorum). */
export function otherSessions(snapshot: Pick<AppSnapshot, "detector">, now: number): SessionGroupModel {
  const others = ordered(snapshot.detector.sessions.filter((s) => s.surface === null));
  return { lines: others.map((s) => sessionLine(s, now)), more: 0, total: others.length };
}
