// What every esbuild build of the project shares: where the project is, its version, and the common options.
import { readFileSync } from "node:fs";

export const root = new URL("..", import.meta.url).pathname;
export const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

/** Bundled for Node with linked source maps and `__OTTO_TRAY_VERSION__` defined (`otto-tray --version`, the app). */
export const nodeBundle = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  sourcemap: "linked",
  logLevel: "warning",
  define: { __OTTO_TRAY_VERSION__: JSON.stringify(version) },
};
