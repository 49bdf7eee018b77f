// A readable age ("42s", "5m 03s", "2h 10m", "3d 4h"), shared by the CLI's tables and the popover; pure, no imports.

/** Whole seconds elapsed (ages tick down to the second, never rounded up); `none` when there is no age. */
export function formatAge(ms: number | null | undefined, none = "-"): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return none;
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
