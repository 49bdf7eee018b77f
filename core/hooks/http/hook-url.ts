// Where Claude Code's HTTP hooks reach Otto Tray: the loopback URL per surface, its token header and the port's rule.
/** The header carrying the endpoint's own token (never the dashboard's): written only into a private settings file. */
export const HOOK_TOKEN_HEADER = "X-Otto-Tray-Hook-Token";

/** The preferences' default for `hookHttpPort`: fixed, so the settings Claude Code reads stay right across restarts. */
export const DEFAULT_HOOK_HTTP_PORT = 47652;

/** The path the endpoint answers POSTs on; `/hook/health` answers who owns it. */
export const HOOK_PATH = "/hook";
export const HOOK_HEALTH_PATH = "/hook/health";

/** The URL an HTTP hook entry of `surface` posts to. */
export function hookUrl(port: number, surface: string): string {
  return `http://127.0.0.1:${port}${HOOK_PATH}?surface=${surface}`;
}

/** The port and surface of a URL written by {@link hookUrl}; undefined for any other URL (someone else's hook). */
export function parseHookUrl(value: unknown): { port: number; surface: string } | undefined {
  if (typeof value !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const surface = url.searchParams.get("surface");
  if (url.protocol !== "http:" || url.hostname !== "127.0.0.1" || url.pathname !== HOOK_PATH || surface === null || [...url.searchParams.keys()].length !== 1) return undefined;
  const port = Number(url.port);
  return Number.isInteger(port) && port > 0 ? { port, surface } : undefined;
}

/**
 * The endpoint's port: `$OTTO_TRAY_HOOK_PORT` when set (0 keeps this process from opening it, as the test suite does
 * so that its many services never compete for the person's port), else the preferences' `hookHttpPort`.
 */
export function hookPortFrom(prefsPort: number, env: NodeJS.ProcessEnv): number {
  const raw = env.OTTO_TRAY_HOOK_PORT;
  if (raw === undefined || raw.trim() === "") return prefsPort;
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : prefsPort;
}

/**
 * The surface of an HTTP hook entry of ours: its URL is one {@link hookUrl} writes and it carries the token header
 * (install always writes both), so a person's own loopback hook at a look-alike URL is never taken for ours.
 */
export function ourHttpHandlerSurface(handler: Record<string, unknown>): string | undefined {
  const headers = handler.headers;
  const token = typeof headers === "object" && headers !== null && !Array.isArray(headers) ? (headers as Record<string, unknown>)[HOOK_TOKEN_HEADER] : undefined;
  if (handler.type !== "http" || typeof token !== "string") return undefined;
  return parseHookUrl(handler.url)?.surface;
}
