// Second look at a surface silent mid-turn: its transcript tells an Esc (which sends no hook event) from a real wait or hang.
import { statSync } from "node:fs";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { readTail } from "../hooks/transcript";
import type { SurfaceEvaluation } from "./state";
import { classifyTurn, type TurnVerdict } from "./transcript-tail";
import type { SurfaceState } from "./types";

/** Bytes read from a transcript's end: the last entries of a turn, bounded whatever the file's size. */
export const TRANSCRIPT_CHECK_BYTES = 256 * 1024;

// Only these say "mid-turn"; a transcript can change nothing else.
const CHECKED_STATES: ReadonlySet<SurfaceState> = new Set(["waiting", "working", "hung"]);
// An entry older than the newest heartbeat by more than this is about an earlier moment, not the silence.
const CLOCK_SLACK_MS = 5000;

/** Reads a transcript's tail: the bounded, non-blocking reader of the hook handler. */
export type TailReader = (path: string, maxBytes: number) => { text: string; startsMidLine: boolean };

/** The transcript path of the newest heartbeat carrying one, within the newest beat's session. */
export function transcriptPathOf(history: readonly HeartbeatRecord[]): string | undefined {
  const latest = history[history.length - 1];
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i] as HeartbeatRecord;
    if (latest?.sessionId !== undefined && record.sessionId !== undefined && record.sessionId !== latest.sessionId) return undefined;
    if (record.transcriptPath !== undefined && record.transcriptPath !== "") return record.transcriptPath;
  }
  return undefined;
}

/**
 * Rechecks surfaces that have been silent past `staleAfterSeconds` in `waiting`, `working` or `hung` against
 * their transcript. It fails closed: only an entry that says the turn is over makes a surface idle; an unreadable
 * transcript keeps the state and says so; a turn left without a reply (a hang and an Esc look the same) becomes
 * `stale` with a reason saying what is known, never a guess. Verdicts are cached per file size and mtime.
 */
export class TranscriptCheck {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; verdict: TurnVerdict }>();

  constructor(private readonly read: TailReader = readTail) {}

  apply(evaluation: SurfaceEvaluation, history: readonly HeartbeatRecord[], now: number, staleAfterSeconds: number): SurfaceEvaluation {
    const latest = history[history.length - 1];
    const lastBeatAt = evaluation.lastBeatAt;
    if (!CHECKED_STATES.has(evaluation.state) || latest === undefined || lastBeatAt === undefined) return evaluation;
    const silentMs = now - lastBeatAt;
    if (silentMs <= staleAfterSeconds * 1000) return evaluation;
    const path = transcriptPathOf(history);
    if (path === undefined) return evaluation;
    const verdict = this.verdictFor(path);
    const silent = `${Math.round(silentMs / 1000)}s`;
    const current = (verdict.kind !== "unknown" && verdict.at !== undefined && verdict.at < latest.at - CLOCK_SLACK_MS) === false;
    switch (verdict.kind) {
      case "dialog-rejected":
      case "interrupted":
      case "turn-ended": {
        if (!current) return note(evaluation, "the transcript's last entry predates the last heartbeat");
        const what =
          verdict.kind === "dialog-rejected"
            ? `the ${verdict.tool ?? "tool"} permission dialog was rejected in the terminal`
            : verdict.kind === "interrupted"
              ? "the turn was interrupted in the terminal"
              : "the turn ended without a Stop event";
        return { ...evaluation, state: "idle", reason: `${what} (transcript); no event for ${silent}` };
      }
      case "no-reply":
        if (!current) return note(evaluation, "the transcript's last entry predates the last heartbeat");
        return {
          ...evaluation,
          state: "stale",
          reason: `no reply to the last prompt and no event for ${silent}: interrupted with Esc, or the model never answered (the transcript cannot tell which)`,
        };
      case "tool-pending":
        return note(evaluation, evaluation.state === "waiting" ? `the transcript shows the ${verdict.tool ?? "tool"} call unanswered` : `the transcript shows ${verdict.tool ?? "a tool"} still running`);
      case "unknown":
        return note(evaluation, `transcript not usable (${verdict.why ?? "unknown"})`);
    }
  }

  private verdictFor(path: string): TurnVerdict {
    if (!path.endsWith(".jsonl")) return { kind: "unknown", why: `${path} is not a .jsonl transcript` };
    try {
      const stat = statSync(path);
      const cached = this.cache.get(path);
      if (cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.verdict;
      const tail = this.read(path, TRANSCRIPT_CHECK_BYTES);
      const verdict = classifyTurn(tail.text, tail.startsMidLine);
      // Bounded: one entry per transcript a surface pointed at; old sessions' entries are few and small.
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, verdict });
      return verdict;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return { kind: "unknown", why: typeof code === "string" ? `${code} reading ${path}` : `cannot read ${path}` };
    }
  }
}

function note(evaluation: SurfaceEvaluation, what: string): SurfaceEvaluation {
  return { ...evaluation, reason: `${evaluation.reason}; ${what}` };
}
