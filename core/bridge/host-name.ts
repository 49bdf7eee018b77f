// This machine's name on the bridge: the short hostname made to fit the surface-id pattern (`mac.local` → `mac-local`).
import { hostname } from "node:os";
import { parseSurfaceId, SURFACE_ID_PATTERN } from "../ids";

/**
 * `name` lower-cased, every run of characters outside a-z, 0-9 and '-' made one '-', dashes trimmed, cut to 64: the
 * same rule as surface ids, since a host is the first part of every key it writes (`<host>.<surface>`).
 */
export function hostNameFrom(name: string): string | undefined {
  const fitted = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return SURFACE_ID_PATTERN.test(fitted) ? fitted : undefined;
}

/** `--host` as given (checked like a surface id), else this machine's hostname fitted; a hostname that fits nothing is refused. */
export function bridgeHostName(explicit: string | undefined, machine: string = hostname()): string {
  if (explicit !== undefined) return parseSurfaceId(explicit, "--host");
  const fitted = hostNameFrom(machine);
  return fitted ?? parseSurfaceId(machine, "--host (this machine's hostname)");
}
