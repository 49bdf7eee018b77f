// Validation of surface, sender and identity ids: the one rule every id on the bus and in the pool follows.
import { UsageError } from "./errors";

/** Ids of surfaces, senders and pool identities (DESIGN.md): lower-case, digits and dashes, 1–64 chars. */
export const SURFACE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The sender id Otto Tray publishes as; its envelopes never count as a surface's activity. */
export const OTTO_TRAY_SENDER = "otto-tray";

/** The surfaces watched when preferences name none. */
export const DEFAULT_SURFACE_IDS = ["otto-cli", "otto-desktop", "otto-launchd"] as const;

export function isSurfaceId(value: unknown): value is string {
  return typeof value === "string" && SURFACE_ID_PATTERN.test(value);
}

/** Returns the id or throws a UsageError naming the argument and the allowed form. */
export function parseSurfaceId(value: unknown, argument: string): string {
  if (isSurfaceId(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new UsageError(
    `${argument}: ${shown} is not a valid id`,
    "use 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit (e.g. otto-cli)",
  );
}
