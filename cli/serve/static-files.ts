// Serves the React build (dist/renderer) with a strict Content-Security-Policy; nothing outside that directory.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Scripts, styles and connections only from this origin; no inline script, no frames, no forms, no plugins. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
};

/** The checkout's dist/renderer: the first ancestor of this module holding it (dist/cli/chunks when bundled). */
export function findRendererDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "dist", "renderer");
    if (existsSync(join(candidate, "index.html"))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Headers every response carries. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader("Content-Security-Policy", PAGE_CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cache-Control", "no-store");
  // Another site's page may not embed our files (a no-cors script or image) nor keep a handle on our window.
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
}

const MISSING = `<!doctype html><meta charset="utf-8"><title>Otto Tray</title><p>The dashboard is not built: run <code>npm run build</code>, then start <code>otto-tray serve</code> again.</p>`;

/** Writes the file at `pathname` (already decoded, once) from `root` (index.html for `/`); false when there is none. */
export function serveStatic(root: string | undefined, pathname: string, res: ServerResponse): boolean {
  if (root === undefined) {
    if (pathname !== "/" && pathname !== "/index.html") return false;
    res.writeHead(200, { "Content-Type": TYPES[".html"] }).end(MISSING);
    return true;
  }
  const relative = pathname === "/" ? "index.html" : pathname.replace(/^\/+/, "");
  const file = join(root, relative);
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  return true;
}
