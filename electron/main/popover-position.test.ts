// Popover placement for trays on every screen edge, several displays (some at negative coordinates), and clamping.
import { describe, expect, it } from "vitest";
import { type DisplayInfo, popoverPosition } from "./popover-position";

const SIZE = { width: 360, height: 480 };

/** A 1440×900 Mac display with a 25 px menu bar (and the Dock at the bottom). */
const MAC: DisplayInfo = { bounds: { x: 0, y: 0, width: 1440, height: 900 }, workArea: { x: 0, y: 25, width: 1440, height: 805 } };
/** A 1920×1080 Windows display with a 40 px taskbar at the bottom. */
const WIN: DisplayInfo = { bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };

describe("popoverPosition on one display", () => {
  it("puts the window under a tray in a top menu bar, centred on the icon", () => {
    expect(popoverPosition({ x: 1000, y: 0, width: 24, height: 24 }, SIZE, [MAC])).toEqual({ x: 1000 + 12 - 180, y: 25 });
  });

  it("keeps the window below the tray when the menu bar is taller than the work area's start (notch)", () => {
    expect(popoverPosition({ x: 1000, y: 0, width: 30, height: 37 }, SIZE, [MAC])).toEqual({ x: 835, y: 37 });
  });

  it("puts the window above a tray in a bottom taskbar", () => {
    expect(popoverPosition({ x: 1700, y: 1044, width: 32, height: 32 }, SIZE, [WIN])).toEqual({ x: 1716 - 180, y: 1040 - 480 });
  });

  it("puts the window to the right of a tray in a left taskbar, vertically centred", () => {
    const left: DisplayInfo = { bounds: WIN.bounds, workArea: { x: 48, y: 0, width: 1872, height: 1080 } };
    expect(popoverPosition({ x: 8, y: 600, width: 32, height: 32 }, SIZE, [left])).toEqual({ x: 48, y: 616 - 240 });
  });

  it("puts the window to the left of a tray in a right taskbar", () => {
    const right: DisplayInfo = { bounds: WIN.bounds, workArea: { x: 0, y: 0, width: 1872, height: 1080 } };
    expect(popoverPosition({ x: 1880, y: 500, width: 32, height: 32 }, SIZE, [right])).toEqual({ x: 1872 - 360, y: 516 - 240 });
  });

  it("clamps against the right edge when the icon is near the corner", () => {
    expect(popoverPosition({ x: 1410, y: 0, width: 24, height: 24 }, SIZE, [MAC])).toEqual({ x: 1440 - 360, y: 25 });
  });

  it("clamps against the left edge", () => {
    expect(popoverPosition({ x: 10, y: 0, width: 24, height: 24 }, SIZE, [MAC])).toEqual({ x: 0, y: 25 });
  });

  it("clamps a side-taskbar window against the top and bottom of the work area", () => {
    const left: DisplayInfo = { bounds: WIN.bounds, workArea: { x: 48, y: 0, width: 1872, height: 1080 } };
    expect(popoverPosition({ x: 8, y: 10, width: 32, height: 32 }, SIZE, [left])).toEqual({ x: 48, y: 0 });
    expect(popoverPosition({ x: 8, y: 1040, width: 32, height: 32 }, SIZE, [left])).toEqual({ x: 48, y: 1080 - 480 });
  });

  it("starts a window larger than the work area at the work area's corner", () => {
    expect(popoverPosition({ x: 700, y: 0, width: 24, height: 24 }, { width: 2000, height: 2000 }, [MAC])).toEqual({ x: 0, y: 25 });
  });

  it("returns whole pixels for fractional (scaled) rectangles", () => {
    const p = popoverPosition({ x: 1000.5, y: 0, width: 22.25, height: 24.5 }, { width: 361, height: 480 }, [MAC]);
    expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
    expect(p).toEqual({ x: 831, y: 25 });
  });
});

describe("popoverPosition on several displays", () => {
  const PRIMARY = MAC;
  /** A display to the left of the primary, its top above the primary's. */
  const LEFT: DisplayInfo = { bounds: { x: -1920, y: -200, width: 1920, height: 1080 }, workArea: { x: -1920, y: -175, width: 1920, height: 1055 } };
  /** A display above the primary. */
  const ABOVE: DisplayInfo = { bounds: { x: 0, y: -1080, width: 1920, height: 1080 }, workArea: { x: 0, y: -1055, width: 1920, height: 1055 } };
  const ALL = [PRIMARY, LEFT, ABOVE];

  it("uses the display left of the primary (negative x) when the tray is there", () => {
    expect(popoverPosition({ x: -300, y: -200, width: 24, height: 24 }, SIZE, ALL)).toEqual({ x: -300 + 12 - 180, y: -175 });
  });

  it("clamps inside the left display's work area, never spilling onto the primary", () => {
    expect(popoverPosition({ x: -30, y: -200, width: 24, height: 24 }, SIZE, ALL)).toEqual({ x: -360, y: -175 });
  });

  it("uses the display above the primary (negative y)", () => {
    expect(popoverPosition({ x: 1800, y: -1080, width: 24, height: 24 }, SIZE, ALL)).toEqual({ x: 1920 - 360, y: -1055 });
  });

  it("uses the primary when the tray is there, whatever the order of displays", () => {
    expect(popoverPosition({ x: 1000, y: 0, width: 24, height: 24 }, SIZE, [LEFT, ABOVE, PRIMARY])).toEqual({ x: 832, y: 25 });
  });

  it("picks the nearest display when no display holds the tray", () => {
    expect(popoverPosition({ x: 1500, y: 0, width: 24, height: 24 }, SIZE, [PRIMARY, LEFT])).toEqual({ x: 1440 - 360, y: 25 });
    expect(popoverPosition({ x: -2500, y: -190, width: 24, height: 24 }, SIZE, [PRIMARY, LEFT])).toEqual({ x: -1920, y: -166 });
  });

  it("decides by the tray's centre when the icon straddles two displays", () => {
    // Centre at x = -2: on the left display.
    expect(popoverPosition({ x: -14, y: -200, width: 24, height: 24 }, SIZE, ALL).x).toBe(-360);
  });
});

describe("popoverPosition for a tray without a size (Linux)", () => {
  const LINUX: DisplayInfo = { bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 28, width: 1920, height: 1052 } };
  const SECOND: DisplayInfo = { bounds: { x: 1920, y: 0, width: 1280, height: 1024 }, workArea: { x: 1920, y: 28, width: 1280, height: 996 } };

  it("places the window at the cursor, on the cursor's display", () => {
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, SIZE, [LINUX, SECOND], { x: 2500, y: 10 })).toEqual({ x: 2500 - 180, y: 28 });
  });

  it("places the window above the cursor in a bottom panel", () => {
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, SIZE, [WIN], { x: 1800, y: 1060 })).toEqual({ x: 1920 - 360, y: 1040 - 480 });
  });

  it("falls back to the primary display's top-right corner without a cursor", () => {
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, SIZE, [LINUX, SECOND])).toEqual({ x: 1920 - 360, y: 28 });
    const leftPrimary: DisplayInfo = { bounds: { x: -1280, y: 0, width: 1280, height: 1024 }, workArea: { x: -1280, y: 0, width: 1280, height: 984 } };
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, SIZE, [leftPrimary, LINUX])).toEqual({ x: -360, y: 0 });
  });

  it("still answers with no displays at all", () => {
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, SIZE, [])).toEqual({ x: 0, y: 0 });
    expect(popoverPosition({ x: 100, y: 0, width: 20, height: 20 }, SIZE, [])).toEqual({ x: -70, y: 20 });
  });
});

describe("popoverPosition finds the bar's edge", () => {
  it("uses the inset edge in a corner where two edges are equally near", () => {
    const left: DisplayInfo = { bounds: WIN.bounds, workArea: { x: 48, y: 0, width: 1872, height: 1080 } };
    // 24 px from the left and 24 px from the bottom: the taskbar is on the left.
    expect(popoverPosition({ x: 12, y: 1044, width: 24, height: 24 }, SIZE, [left])).toEqual({ x: 48, y: 1080 - 480 });
  });

  it("falls back to the nearest edge when no bar takes room (auto-hiding taskbar)", () => {
    const full: DisplayInfo = { bounds: WIN.bounds, workArea: WIN.bounds };
    expect(popoverPosition({ x: 900, y: 1050, width: 30, height: 30 }, SIZE, [full])).toEqual({ x: 735, y: 1050 - 480 });
  });
});
