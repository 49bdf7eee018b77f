// Puts a confirmation page in a private temporary file for the app's own window to load: a file: URL lets the page's
// links navigate within it (to #confirm, #cancel), which a data: URL does not (Chromium does not navigate there).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The page's file URL, and a dispose that removes the file (call it when the window is gone). */
export function writeConfirmPage(html: string): { url: string; dispose: () => void } {
  // mkdtemp makes the directory owner-only: the command shown is nobody else's to read.
  const dir = mkdtempSync(join(tmpdir(), "otto-tray-confirm-"));
  const file = join(dir, "confirm.html");
  writeFileSync(file, html, { mode: 0o600 });
  return { url: pathToFileURL(file).href, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
