// Pure: the other machines the bridge shows, as the popover words them (link, surfaces, what needs a person there).
import type { BridgeViewApi } from "../../core/api";
import { STUCK_STATES } from "../../core/text/state-words";
import { badgeFor, formatAge, type Tone } from "./view-model";

export interface MachineSurfaceModel {
  id: string;
  /** The agent there, in words, when it is not Claude Code. */
  agent: string | null;
  word: string;
  tone: Tone;
  /** What kind of prompt it waits on ("permission for Bash"), or the shared text when that machine shares details. */
  waiting: string | null;
}

export interface MachineModel {
  host: string;
  /** "connected", "reconnecting for 12s", "silent for 3m 05s". */
  link: string;
  linkTone: Tone;
  /** "1 waiting · 2 idle": the states, most urgent first. */
  summary: string;
  /** A surface there needs a person (shown open: the person acts on that machine). */
  attention: boolean;
  surfaces: MachineSurfaceModel[];
}

export interface MachinesModel {
  /** Shown at all: a bridge runs (here or in another process) or cannot run. */
  shown: boolean;
  /** "Bridge to nats://hub:4222 as mac-a: connected", or why it cannot run. */
  headline: string;
  headlineTone: Tone;
  machines: MachineModel[];
}

const ORDER: readonly string[] = ["hung", "waiting", "standing-by", "working", "idle", "stale", "offline", "unknown"];

export function machinesModel(bridge: BridgeViewApi, now: number): MachinesModel {
  if (bridge.state === "off") return { shown: false, headline: "", headlineTone: "muted", machines: [] };
  if (bridge.state === "problem") return { shown: true, headline: `Bridge cannot run: ${bridge.problem ?? "unknown"}`, headlineTone: "alarm", machines: [] };
  const since = bridge.since === null ? null : now - Date.parse(bridge.since);
  const link = bridge.link === "connected" ? "connected" : bridge.link === "reconnecting" ? `reconnecting for ${formatAge(since)}` : (bridge.link ?? "unknown");
  const who = bridge.state === "elsewhere" ? " (run by otto-tray bridge)" : "";
  const headline = `Bridge to ${bridge.url ?? "?"} as ${bridge.host ?? "?"}${who}: ${link}${bridge.problem === null || bridge.link === "connected" ? "" : ` — ${bridge.problem}`}`;
  const headlineTone: Tone = bridge.link === "connected" ? "ok" : bridge.link === "refused" ? "alarm" : "attention";
  const machines = bridge.hosts.map((h): MachineModel => {
    const surfaces = [...h.surfaces]
      .sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.surface.localeCompare(b.surface))
      .map((s) => ({ id: s.surface, agent: s.agent === "codex" ? "Codex" : s.agent === "gemini" ? "Gemini" : null, ...badgeFor(s.state), waiting: s.state === "waiting" ? (s.details?.waiting ?? s.waitingKind) : null }));
    const counts = new Map<string, number>();
    for (const s of surfaces) counts.set(s.word.toLowerCase(), (counts.get(s.word.toLowerCase()) ?? 0) + 1);
    const linkSince = h.since === null ? null : now - Date.parse(h.since);
    return {
      host: h.host,
      link: h.link === "connected" ? "connected" : `${h.link} for ${formatAge(linkSince)}`,
      linkTone: h.link === "connected" ? "ok" : "muted",
      summary: [...counts.entries()].map(([word, n]) => `${n} ${word}`).join(" · "),
      attention: h.link === "connected" && h.surfaces.some((s) => STUCK_STATES.has(s.state)),
      surfaces,
    };
  });
  return { shown: true, headline, headlineTone, machines };
}
