// What a launch (or a second launch) asks to open: `--open-popover[=SURFACE]`, `--open-preferences`.

/** The windows a command line asks for. A plain second launch (no switches) opens the popover. */
export interface LaunchRequests {
  popover: boolean;
  surface: string | null;
  preferences: boolean;
}

import { isSurfaceId } from "../../core/ids";

/**
 * Reads the app's own switches and ignores everything else (Electron's and Chromium's switches, the app path).
 * `second` is true for a second launch: with no switch of ours it opens the popover, as a menu-bar app does
 * when it is opened again; the first launch opens nothing unless asked (the app lives in the menu bar).
 */
export function launchRequests(argv: readonly string[], second = false): LaunchRequests {
  let popover = false;
  let preferences = false;
  let surface: string | null = null;
  for (const arg of argv) {
    if (arg === "--open-popover") popover = true;
    else if (arg.startsWith("--open-popover=")) {
      popover = true;
      const value = arg.slice("--open-popover=".length);
      // A hostile or mistyped id opens the popover without focusing anything.
      surface = isSurfaceId(value) ? value : null;
    } else if (arg === "--open-preferences") preferences = true;
  }
  if (second && !popover && !preferences) popover = true;
  return { popover, surface, preferences };
}
