// Where the popover window goes: on the display holding the tray icon, next to the icon, inside that display's work area.
// Pure geometry; the wiring passes Tray.getBounds(), the window size, screen.getAllDisplays() and the cursor point.

/** A rectangle in screen coordinates (Electron's Rectangle: displays left of or above the primary are negative). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One display as Electron's Display has it: its full bounds and the work area left by menu bars, docks and taskbars. */
export interface DisplayInfo {
  bounds: Rect;
  workArea: Rect;
}

type Edge = "top" | "bottom" | "left" | "right";

function contains(rect: Rect, x: number, y: number): boolean {
  return x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;
}

/** Squared distance from a point to a rectangle (0 inside). */
function distance2(rect: Rect, x: number, y: number): number {
  const dx = Math.max(rect.x - x, 0, x - (rect.x + rect.width));
  const dy = Math.max(rect.y - y, 0, y - (rect.y + rect.height));
  return dx * dx + dy * dy;
}

/** The display holding the point, or the nearest one (a tray reported just off-screen still picks its screen). */
function displayAt(displays: readonly DisplayInfo[], x: number, y: number): DisplayInfo {
  const holding = displays.find((d) => contains(d.bounds, x, y));
  if (holding !== undefined) return holding;
  return displays.reduce((best, d) => (distance2(d.bounds, x, y) < distance2(best.bounds, x, y) ? d : best));
}

/**
 * The screen edge holding the tray: among the edges where the work area is inset (a menu bar or taskbar takes room
 * there), the one nearest the point; when no edge is inset (an auto-hiding taskbar), the nearest edge of all.
 */
function trayEdge(display: DisplayInfo, x: number, y: number): Edge {
  const { bounds: b, workArea: w } = display;
  const gaps: { edge: Edge; gap: number; inset: boolean }[] = [
    { edge: "top", gap: y - b.y, inset: w.y > b.y },
    { edge: "bottom", gap: b.y + b.height - y, inset: w.y + w.height < b.y + b.height },
    { edge: "left", gap: x - b.x, inset: w.x > b.x },
    { edge: "right", gap: b.x + b.width - x, inset: w.x + w.width < b.x + b.width },
  ];
  const inset = gaps.filter((g) => g.inset);
  // Ties go to the first listed: top (macOS's menu bar), then bottom.
  return (inset.length > 0 ? inset : gaps).reduce((best, g) => (g.gap < best.gap ? g : best)).edge;
}

/** `value` moved inside [min, max - size]; a window larger than the area starts at its start. */
function clamp(value: number, min: number, size: number, extent: number): number {
  return Math.max(min, Math.min(value, min + extent - size));
}

/**
 * The popover's top-left corner, in whole pixels. It goes on the display holding the tray's centre (the nearest
 * display when none holds it): under the tray when the tray is on the top edge (macOS's menu bar), above it on the
 * bottom edge (Windows and Linux taskbars), beside it on a left or right edge; centred on the tray along that edge,
 * then moved inside the display's work area. The tray's edge is the one whose bar insets the work area, nearest the
 * tray (the nearest edge of all when no bar takes room, as with an auto-hiding taskbar). A tray without a size (Linux reports 0,0,0,0) is replaced by the cursor
 * point, and without a cursor the window goes to the top-right corner of the primary (first) display's work area.
 * With no displays at all (none should happen) the position is computed as if the screen had no limits.
 */
export function popoverPosition(tray: Rect, size: { width: number; height: number }, displays: readonly DisplayInfo[], cursor?: { x: number; y: number }): { x: number; y: number } {
  const sizeless = tray.width <= 0 && tray.height <= 0;
  if (sizeless && cursor === undefined) {
    const primary = displays[0];
    if (primary === undefined) return { x: 0, y: 0 };
    const area = primary.workArea;
    return { x: Math.round(Math.max(area.x, area.x + area.width - size.width)), y: Math.round(area.y) };
  }
  const anchor: Rect = sizeless && cursor !== undefined ? { x: cursor.x, y: cursor.y, width: 0, height: 0 } : tray;
  const cx = anchor.x + anchor.width / 2;
  const cy = anchor.y + anchor.height / 2;
  let x: number;
  let y: number;
  const display = displays.length === 0 ? undefined : displayAt(displays, cx, cy);
  const edge = display === undefined ? "top" : trayEdge(display, cx, cy);
  if (edge === "top" || edge === "bottom") {
    x = cx - size.width / 2;
    y = edge === "top" ? anchor.y + anchor.height : anchor.y - size.height;
  } else {
    y = cy - size.height / 2;
    x = edge === "left" ? anchor.x + anchor.width : anchor.x - size.width;
  }
  x = Math.round(x);
  y = Math.round(y);
  if (display === undefined) return { x, y };
  const area = display.workArea;
  return { x: Math.round(clamp(x, area.x, size.width, area.width)), y: Math.round(clamp(y, area.y, size.height, area.height)) };
}
