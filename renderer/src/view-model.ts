// Pure functions from the snapshot to what the popover shows: words, tones, ages, and why a button is disabled.
import type { ApiSurfaceState, AppSnapshot, SurfaceView } from "../../core/api";
import { formatAge as formatSharedAge } from "../../core/text/format-age";
import { STATE_WORDS, STUCK_STATES } from "../../core/text/state-words";
import { type SessionGroupModel, surfaceSessions } from "./session-view-model";

/** A badge's tone (its colour) always comes with a word: colour is never the only signal. */
export type Tone = "ok" | "calm" | "attention" | "alarm" | "muted";

const TONES: Record<ApiSurfaceState, Tone> = {
  working: "ok",
  idle: "calm",
  waiting: "attention",
  "standing-by": "attention",
  hung: "alarm",
  stale: "muted",
  offline: "muted",
  unknown: "muted",
};

export function badgeFor(state: ApiSurfaceState): { word: string; tone: Tone } {
  return { word: STATE_WORDS[state], tone: TONES[state] };
}

/** "4s", "3m 05s", "2h 10m", "3d 4h"; "never" without a beat. */
export function formatAge(ms: number | null): string {
  return formatSharedAge(ms, "never");
}

export interface SurfaceRowModel {
  id: string;
  name: string;
  /** The agent that runs there, in words ("Claude Code", "Codex", "Gemini"). */
  agent: string;
  word: string;
  tone: Tone;
  /** "12s ago", or "no heartbeat yet". */
  age: string;
  note: string | null;
  streak: number;
  /** Unstick is shown for stuck surfaces only; disabled (with the reason) while it cannot act. */
  unstick: { shown: boolean; disabledReason: string | null };
  /** Its Claude Code sessions (the rules claim them), a few lines at most. */
  sessions: SessionGroupModel;
}

const AGENT_WORDS: Record<NonNullable<SurfaceView["agent"]>, string> = { "claude-code": "Claude Code", codex: "Codex", gemini: "Gemini" };

/** One surface row, at time `now`. */
export function surfaceRow(surface: SurfaceView, snapshot: Pick<AppSnapshot, "actuator" | "detector">, now: number): SurfaceRowModel {
  const badge = badgeFor(surface.state);
  const beat = surface.lastHeartbeatAt === null ? null : now - Date.parse(surface.lastHeartbeatAt);
  const shown = STUCK_STATES.has(surface.state);
  let disabledReason: string | null = null;
  if (snapshot.detector.busMissing) disabledReason = "No heartbeats yet: the bus directory does not exist yet";
  else if (!snapshot.detector.busTrusted) disabledReason = "The bus is not trusted: nothing is acted on";
  else if (!snapshot.actuator.on) disabledReason = snapshot.actuator.problem ? `Safety switch reads as off: ${snapshot.actuator.problem}` : "Safety switch is off";
  return {
    id: surface.id,
    name: surface.label ?? surface.id,
    agent: AGENT_WORDS[surface.agent ?? "claude-code"],
    word: badge.word,
    tone: badge.tone,
    age: beat === null ? "no heartbeat yet" : `${formatAge(beat)} ago`,
    note: surface.waiting ?? surface.note ?? (surface.state === "unknown" || surface.state === "offline" ? surface.reason : null),
    streak: surface.briefAckStreak,
    unstick: { shown, disabledReason },
    sessions: surfaceSessions(surface.id, snapshot, now),
  };
}

/** The popover's headline: the worst state across surfaces, for a glance. */
export function overallTone(snapshot: AppSnapshot): Tone {
  if (!snapshot.detector.busTrusted && !snapshot.detector.busMissing) return "alarm";
  const tones = snapshot.detector.surfaces.map((s) => badgeFor(s.state).tone);
  if (tones.includes("alarm")) return "alarm";
  if (tones.includes("attention") || snapshot.detector.quorum.active) return "attention";
  return "ok";
}

/** The honest alarm about the bus, or null when there is none. A bus that does not exist yet is not one (see busNotice). */
export function busBanner(snapshot: AppSnapshot): string | null {
  const d = snapshot.detector;
  if (d.busMissing) return null;
  if (!d.busTrusted) return `Bus not trusted (${d.busProblem ?? "unknown reason"}): states may be wrong and nothing is acted on.`;
  // Banners never contradict the rows: a process known alive is not asleep. The same signal still holds auto mode back (core).
  const anyAlive = d.surfaces.some((s) => s.alive === true);
  if (d.allSilent && d.surfaces.length > 0 && !anyAlive) return "Every surface is silent at once: suspect sleep or an outage rather than stuck agents.";
  return null;
}

/** The quiet line for a bus that does not exist yet (the first heartbeat makes it), or null. */
export function busNotice(snapshot: AppSnapshot): string | null {
  const d = snapshot.detector;
  return d.busMissing ? `No heartbeats yet: \`${d.busDir}\` does not exist yet; the first heartbeat creates it.` : null;
}
