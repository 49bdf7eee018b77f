// Refuses a surface id nobody watches (a typo such as otto-clii) in the commands a person types, with a did-you-mean.
import { UsageError } from "../core/errors";
import { DEFAULT_SURFACE_IDS } from "../core/ids";
import type { CliContext } from "./context";
import { closestName } from "./suggest";

/**
 * A heartbeat or hooks for a surface the preferences do not list would go unwatched: refused unless
 * `allowNew` (--allow-new-surface). Known: the preferences' surfaces and the defaults. Not used by `hook` (it
 * must always exit 0) nor for what other agents write to the bus.
 */
export async function requireKnownSurface(surface: string, context: CliContext, allowNew: boolean): Promise<void> {
  if (allowNew) return;
  const listed = context.prefsFile === undefined ? [] : (await context.prefs()).surfaces.map((s) => s.id);
  const known = [...new Set([...listed, ...DEFAULT_SURFACE_IDS])];
  if (known.includes(surface)) return;
  const close = closestName(surface, known);
  const how = "add it to the preferences' surfaces to watch it, or pass --allow-new-surface";
  throw new UsageError(
    `--surface: ${JSON.stringify(surface)} is not a surface the preferences list (${known.join(", ")})`,
    close === undefined ? how : `did you mean ${JSON.stringify(close)}? (a new surface: ${how})`,
  );
}
