// Finds Electron's binary the way the `electron` package does (path.txt + dist/), without require('electron'), which throws when it is missing.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (the directory holding package.json). */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The `electron` package directory: `$OTTO_TRAY_ELECTRON_PACKAGE` when set (another install, or a test's stand-in),
 * else the project's node_modules/electron.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string}
 */
export function electronPackageDir(env = process.env) {
  const injected = env.OTTO_TRAY_ELECTRON_PACKAGE;
  return injected !== undefined && injected !== "" ? injected : join(PROJECT_ROOT, "node_modules", "electron");
}

/**
 * Where the package's binary is, or why there is none. Mirrors the package's index.js: path.txt names the
 * executable inside dist/ (or inside `$ELECTRON_OVERRIDE_DIST_PATH`); unlike index.js it also checks that the file is there.
 * @param {string} packageDir
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ found: true, binary: string } | { found: false, reason: string }}
 */
export function findElectronBinary(packageDir = electronPackageDir(), env = process.env) {
  const shown = packageDir.startsWith(PROJECT_ROOT) ? packageDir.slice(PROJECT_ROOT.length) : packageDir;
  if (!existsSync(join(packageDir, "package.json"))) return { found: false, reason: `the electron package is not installed (no ${shown}; run ./scripts/setup)` };
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(packageDir, "path.txt");
  let relative;
  try {
    relative = readFileSync(pathFile, "utf8").trim();
  } catch {
    relative = "";
  }
  if (relative === "" && !override) {
    const dist = join(shown, "dist");
    const missing = existsSync(join(packageDir, "dist")) ? `${join(shown, "path.txt")} is missing` : `${dist} is missing`;
    return { found: false, reason: `Electron's binary is not installed (${missing}: the download was skipped or failed)` };
  }
  const binary = override ? join(override, relative || "electron") : join(packageDir, "dist", relative);
  if (!isFile(binary)) return { found: false, reason: `Electron's binary is not installed (${binary} is missing: the download was skipped or failed)` };
  return { found: true, binary };
}

/** True when a regular file is at this path (following symlinks). */
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Why the tray app cannot show on this machine even with the binary, or undefined when it can:
 * Linux without a display server (an SSH session, CI) would make Electron exit at once.
 * @param {NodeJS.ProcessEnv} env
 * @param {NodeJS.Platform} platform
 * @returns {string | undefined}
 */
export function missingDisplay(env = process.env, platform = process.platform) {
  if (platform !== "linux") return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return "there is no display to show a tray in ($DISPLAY and $WAYLAND_DISPLAY are unset)";
}
