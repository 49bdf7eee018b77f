// The word for each surface state, shared by the popover's badges, the tray's tooltip and menu, and notifications.
import type { ApiSurfaceState } from "../api";

/** How each state is said to a person (a colour or icon never stands alone). */
export const STATE_WORDS: Readonly<Record<ApiSurfaceState, string>> = {
  working: "Working",
  idle: "Idle",
  waiting: "Waiting",
  "standing-by": "Standing by",
  hung: "Hung",
  stale: "Stale",
  offline: "Offline",
  unknown: "Unknown",
};

/** States in which a person is needed: the tray shows its attention look, Unstick is offered. */
export const STUCK_STATES: ReadonlySet<ApiSurfaceState> = new Set(["waiting", "hung", "standing-by"]);
