// What the tray shows for a snapshot: its icon, the short title, the tooltip and the context menu. Pure; no Electron.
import type { AppSnapshot, SurfaceView } from "../../core/api";
import { formatAge } from "../../core/text/format-age";
import { STATE_WORDS, STUCK_STATES } from "../../core/text/state-words";
import { displayLine } from "../../core/text/terminal-safe";

/** The tray's four looks: calm, someone needs a person, we cannot see, detection paused. */
export type TrayIcon = "normal" | "attention" | "unknown" | "paused";
/** What a context-menu item does; the wiring maps each to its handler. */
export type TrayAction = "open-popover" | "toggle-pause" | "preferences" | "quit";
/** One context-menu line: a disabled state line (`surface` is "" for lines about the bus or quorum), a separator, or an action. */
export type TrayMenuItem =
  | { kind: "state"; surface: string; label: string }
  | { kind: "separator" }
  | { kind: "action"; action: TrayAction; label: string; accelerator?: string; checked?: boolean };
/** Everything the tray owner sets: icon, title (macOS shows it beside the icon), tooltip and menu. */
export interface TrayView {
  icon: TrayIcon;
  title: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** Menu lines are cut here (the menu is as wide as its longest line). */
export const MENU_LINE_CHARS = 60;
/** Tooltip lines are cut here. */
export const TOOLTIP_LINE_CHARS = 100;
const NAME_CHARS = 32;

const ICON_FILES: Record<TrayIcon, string> = {
  normal: "IconTemplate.png",
  attention: "IconAttention.png",
  unknown: "IconUnknownTemplate.png",
  paused: "IconPausedTemplate.png",
};

/** The icon's file name inside electron/assets (Electron finds the `@2x` file beside it itself). */
export function trayIconFile(icon: TrayIcon): string {
  return ICON_FILES[icon];
}

/** Ids of the surfaces that need a person: waiting, hung or standing by, and the members of an active quorum. */
export function surfacesNeedingAttention(snapshot: AppSnapshot): string[] {
  const ids = new Set(snapshot.detector.surfaces.filter((s) => STUCK_STATES.has(s.state)).map((s) => s.id));
  if (snapshot.detector.quorum.active) for (const id of snapshot.detector.quorum.surfaces) ids.add(id);
  return [...ids];
}

/** The surface's name for people (its label, else its id), cleaned: both come from the bus or preferences. */
export function surfaceName(surface: Pick<SurfaceView, "id" | "label">): string {
  return displayLine(surface.label ?? surface.id, NAME_CHARS) || "(unnamed)";
}

/** What follows the state word: the prompt waited on, how long without a beat, the streak, or why it is unknown. */
function detailOf(surface: SurfaceView, nowMs: number): string | null {
  const since = (iso: string | null) => (iso === null ? null : formatAge(nowMs - Date.parse(iso), ""));
  switch (surface.state) {
    case "waiting":
      return surface.waiting ?? surface.note;
    case "hung": {
      const age = since(surface.lastHeartbeatAt);
      return age ? `no heartbeat for ${age}` : "no heartbeat";
    }
    case "standing-by":
      return `${surface.briefAckStreak} brief acknowledgements in a row`;
    case "idle": {
      const age = since(surface.idleSince);
      return age ? `for ${age}` : null;
    }
    case "working":
      return surface.note;
    default:
      return surface.reason;
  }
}

function stateLine(surface: SurfaceView, nowMs: number, max: number): string {
  const detail = detailOf(surface, nowMs);
  const head = `${surfaceName(surface)} — ${STATE_WORDS[surface.state]}`;
  const clean = detail === null ? "" : displayLine(detail, max);
  return displayLine(clean === "" ? head : `${head}: ${clean}`, max);
}

function quorumLine(snapshot: AppSnapshot, max: number): string | null {
  const q = snapshot.detector.quorum;
  if (!q.active) return null;
  const names = q.surfaces.map((id) => surfaceName(snapshot.detector.surfaces.find((s) => s.id === id) ?? { id }));
  return displayLine(`Quorum: ${names.join(" and ")} idle together`, max);
}

/** Lines about what we cannot see, or cannot trust, before any surface line. */
function warningLines(snapshot: AppSnapshot | null, paused: boolean, nowMs: number, max: number): string[] {
  const lines: string[] = [];
  if (paused) lines.push("Detection paused: states are not updated");
  if (snapshot === null) {
    lines.push("No state yet: the detector has not reported");
    return lines;
  }
  const d = snapshot.detector;
  // A bus directory that does not exist yet is not a trust problem: nothing has beaten yet.
  if (d.busMissing) lines.push(displayLine(`No heartbeats yet: ${d.busProblem ?? "the bus does not exist yet"}`, max));
  else if (!d.busTrusted) lines.push(displayLine(`Bus not trusted (${d.busProblem ?? "unknown reason"}): states may be wrong`, max));
  else if (d.busProblem !== null) lines.push(displayLine(`Bus problem: ${d.busProblem}`, max));
  // Never beside a row whose process is known alive (the same signal still holds auto mode back in the core).
  if (d.allSilent && d.surfaces.length > 0 && !d.surfaces.some((s) => s.alive === true)) lines.push("Every surface is silent: sleep or an outage?");
  if (d.wakeGraceUntil !== null && Date.parse(d.wakeGraceUntil) > nowMs) lines.push("Just woke: hung surfaces are not reported yet");
  if (d.surfaces.length === 0) lines.push("No surfaces configured");
  return lines;
}

function iconFor(snapshot: AppSnapshot | null, paused: boolean): TrayIcon {
  if (paused) return "paused";
  // Fail closed: without a snapshot, or with a bus we cannot trust, never look calm.
  if (snapshot === null || !snapshot.detector.busTrusted || snapshot.detector.busProblem !== null) return "unknown";
  return surfacesNeedingAttention(snapshot).length > 0 ? "attention" : "normal";
}

/**
 * The tray for a snapshot (null before the first one) at time `nowMs`. The icon is "paused" while detection is paused,
 * else "unknown" without a snapshot or with an untrusted bus or a bus problem, else "attention" when any surface waits,
 * hangs or stands by or a quorum is active, else "normal". The title is the number of surfaces needing attention with
 * the attention icon, "" otherwise. Every text from the bus is cleaned and cut (core/text/terminal-safe.ts).
 */
export function trayView(snapshot: AppSnapshot | null, paused: boolean, nowMs: number): TrayView {
  const icon = iconFor(snapshot, paused);
  const title = icon === "attention" && snapshot !== null ? String(surfacesNeedingAttention(snapshot).length) : "";

  const tooltip = ["Otto Tray", ...warningLines(snapshot, paused, nowMs, TOOLTIP_LINE_CHARS)];
  const menu: TrayMenuItem[] = warningLines(snapshot, paused, nowMs, MENU_LINE_CHARS).map((label) => ({ kind: "state", surface: "", label }));
  if (snapshot !== null) {
    const quorum = quorumLine(snapshot, TOOLTIP_LINE_CHARS);
    if (quorum !== null) {
      tooltip.push(quorum);
      menu.push({ kind: "state", surface: "", label: displayLine(quorum, MENU_LINE_CHARS) });
    }
    for (const surface of snapshot.detector.surfaces) {
      tooltip.push(stateLine(surface, nowMs, TOOLTIP_LINE_CHARS));
      menu.push({ kind: "state", surface: surface.id, label: stateLine(surface, nowMs, MENU_LINE_CHARS) });
    }
  }
  menu.push(
    { kind: "separator" },
    { kind: "action", action: "open-popover", label: "Open Otto Tray" },
    // A checkbox item, as macOS menus do it: the tick says detection is paused; choosing it again resumes.
    { kind: "action", action: "toggle-pause", label: "Pause detection", checked: paused },
    { kind: "action", action: "preferences", label: "Preferences…", accelerator: "CommandOrControl+," },
    { kind: "separator" },
    { kind: "action", action: "quit", label: "Quit Otto Tray", accelerator: "CommandOrControl+Q" },
  );
  return { icon, title, tooltip: tooltip.join("\n"), menu };
}
