// Second look at a surface silent mid-turn: its transcript tells an Esc (which sends no hook event) from a real wait or hang.
import { statSync } from "node:fs";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { readTail } from "../hooks/transcript";
import type { Agent } from "../prefs/schema";
import { classifyCodexTurn } from "./codex-rollout-tail";
import { classifyGeminiTurn } from "./gemini-transcript-tail";
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

/** Each agent's transcript format: Claude Code's transcript, Codex's session (rollout) file, Gemini CLI's chat file. */
const CLASSIFIERS: Record<Agent, (text: string, startsMidLine: boolean) => TurnVerdict> = {
  "claude-code": classifyTurn,
  codex: classifyCodexTurn,
  gemini: classifyGeminiTurn,
};

/**
 * Agents whose waiting surface is checked at once, without the silence: an Esc there sends no event at all (Gemini's
 * rejected dialog; Codex's Esc on its dialog or while its PermissionRequest hook waits, which Codex ends outright) but
 * is written to the file straight away. Claude Code's Esc is told by its hook's SIGTERM.
 */
const CHECKED_WHILE_WAITING: ReadonlySet<Agent> = new Set(["gemini", "codex"]);

/**
 * Whether the deciding entry is about the silence, not an earlier moment. Gemini CLI writes a model message before
 * it asks for the tool calls in it (they are written once done), so while its dialog is open a reply with text and
 * a call reads as a finished turn: there a finished turn counts only when written after the newest heartbeat, and
 * every verdict needs a time.
 */
function isCurrent(verdict: TurnVerdict, latestAt: number, agent: Agent): boolean {
  if (verdict.kind === "unknown") return true;
  if (agent === "gemini") {
    if (verdict.at === undefined) return false;
    return verdict.kind === "turn-ended" ? verdict.at > latestAt : verdict.at >= latestAt - CLOCK_SLACK_MS;
  }
  return verdict.at === undefined || verdict.at >= latestAt - CLOCK_SLACK_MS;
}

/**
 * Rechecks surfaces that have been silent past `staleAfterSeconds` in `waiting`, `working` or `hung` against
 * their transcript. It fails closed: only an entry that says the turn is over makes a surface idle; an unreadable
 * transcript keeps the state and says so; a turn left without a reply (a hang and an Esc look the same) becomes
 * `stale` with a reason saying what is known, never a guess. Verdicts are cached per file size and mtime.
 *
 * A Gemini or Codex surface `waiting` is checked at once, without the silence: its rejected dialog (Esc, or "3" in
 * Gemini) sends no event at all but is written to its file straight away; only a cancellation changes it then.
 */
export class TranscriptCheck {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; verdict: TurnVerdict }>();

  constructor(private readonly read: TailReader = readTail) {}

  apply(evaluation: SurfaceEvaluation, history: readonly HeartbeatRecord[], now: number, staleAfterSeconds: number, agent: Agent = "claude-code"): SurfaceEvaluation {
    const latest = history[history.length - 1];
    const lastBeatAt = evaluation.lastBeatAt;
    if (!CHECKED_STATES.has(evaluation.state) || latest === undefined || lastBeatAt === undefined) return evaluation;
    const silentMs = now - lastBeatAt;
    const early = silentMs <= staleAfterSeconds * 1000;
    if (early && !(CHECKED_WHILE_WAITING.has(agent) && evaluation.state === "waiting")) return evaluation;
    const path = transcriptPathOf(history);
    if (path === undefined) return evaluation;
    const verdict = this.verdictFor(path, agent);
    if (early && verdict.kind !== "dialog-rejected" && verdict.kind !== "interrupted" && verdict.kind !== "unknown") return evaluation;
    const silent = `${Math.round(silentMs / 1000)}s`;
    const current = isCurrent(verdict, latest.at, agent);
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
              : `the turn ended without ${agent === "gemini" ? "an AfterAgent" : "a Stop"} event`;
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

  private verdictFor(path: string, agent: Agent): TurnVerdict {
    if (!path.endsWith(".jsonl")) return { kind: "unknown", why: `${path} is not a .jsonl transcript` };
    try {
      const stat = statSync(path);
      const key = `${agent}:${path}`;
      const cached = this.cache.get(key);
      if (cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.verdict;
      const tail = this.read(path, TRANSCRIPT_CHECK_BYTES);
      const verdict = CLASSIFIERS[agent](tail.text, tail.startsMidLine);
      // Bounded: one entry per transcript a surface pointed at; old sessions' entries are few and small.
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(key, { size: stat.size, mtimeMs: stat.mtimeMs, verdict });
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
