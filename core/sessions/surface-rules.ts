// Which surface a Claude Code session belongs to: the person's rules first, then the defaults for the three Otto surfaces.
import type { SessionRule } from "../prefs/schema";
import type { SessionRecord } from "./record";

/** What a terminal session, a `-p`/SDK run and any other entrypoint (Claude Desktop's own sessions) belong to. */
export const DEFAULT_SESSION_RULES: readonly SessionRule[] = [
  { surface: "otto-cli", entrypoint: "cli" },
  { surface: "otto-launchd", entrypoint: "sdk-cli" },
  { surface: "otto-desktop" },
];

function underPrefix(cwd: string, prefix: string): boolean {
  const base = prefix.length > 1 && prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return cwd === base || cwd.startsWith(base === "/" ? "/" : `${base}/`);
}

function matches(rule: SessionRule, record: Pick<SessionRecord, "entrypoint" | "kind" | "cwd" | "name">): boolean {
  if (rule.entrypoint !== undefined && rule.entrypoint !== record.entrypoint) return false;
  if (rule.kind !== undefined && rule.kind !== record.kind) return false;
  if (rule.cwdPrefix !== undefined && !underPrefix(record.cwd, rule.cwdPrefix)) return false;
  if (rule.name !== undefined && rule.name !== record.name) return false;
  return true;
}

/**
 * The surface of a session, or null for "other sessions": the first matching rule (the person's, then the
 * defaults) names it, and it counts only when it is a watched surface. Other sessions are still shown but never
 * count towards a quorum. A record with no entrypoint at all (an older version) matches only the catch-all
 * default, like any other entrypoint.
 */
export function surfaceOfSession(record: Pick<SessionRecord, "entrypoint" | "kind" | "cwd" | "name">, rules: readonly SessionRule[], watched: ReadonlySet<string>): string | null {
  for (const rule of [...rules, ...DEFAULT_SESSION_RULES]) {
    if (matches(rule, record)) return watched.has(rule.surface) ? rule.surface : null;
  }
  return null;
}
