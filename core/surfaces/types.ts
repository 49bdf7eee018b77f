// The states a surface can be in (DESIGN.md "Surface health").

export const SURFACE_STATES = ["working", "idle", "waiting", "standing-by", "hung", "stale", "offline", "unknown"] as const;
export type SurfaceState = (typeof SURFACE_STATES)[number];

/** States that mean "needs a person": the tray shows attention for these. */
export const ATTENTION_STATES: ReadonlySet<SurfaceState> = new Set(["waiting", "hung", "standing-by"]);

