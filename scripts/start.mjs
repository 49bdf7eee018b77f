// `npm start` after the build: the tray app where Electron's binary is installed, else the dashboard with a one-line reason.
// Usage: node scripts/start.mjs [ARGS...]  (ARGS go to `otto-tray serve`, or to the app; serve prints the URL to open,
// its token after #token=, as its first line)
// OTTO_TRAY_DASHBOARD=1 forces the dashboard; OTTO_TRAY_ELECTRON_PACKAGE=DIR uses the electron package at DIR.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { PROJECT_ROOT, electronPackageDir, findElectronBinary, missingDisplay } from "./electron-binary.mjs";
import { onParentGone } from "./parent-watch.mjs";

const args = process.argv.slice(2);
/** How long the child has to end after a SIGTERM once our parent is gone, before it gets a SIGKILL. */
const PARENT_GONE_GRACE_MS = 5_000;

/** Why the dashboard is served instead of the tray app, or undefined to launch the app. */
function dashboardReason() {
  if (process.env.OTTO_TRAY_DASHBOARD === "1") return { reason: "OTTO_TRAY_DASHBOARD=1 is set" };
  const found = findElectronBinary(electronPackageDir());
  if (!found.found) return { reason: found.reason };
  const noDisplay = missingDisplay();
  if (noDisplay) return { reason: noDisplay };
  return { binary: found.binary };
}

/**
 * Runs one child in its own process group and mirrors it: a terminal's Ctrl-C reaches the child once (through us, not
 * twice), SIGINT/SIGTERM/SIGHUP are passed on, and we end as it ended (its exit code, or the same signal). When our
 * parent goes without signalling us (npm and its shell got a SIGTERM, or were killed), the child gets a SIGTERM, then a
 * SIGKILL if it is still there after a grace period: nothing is left serving, orphaned.
 */
function runMirrored(command, argv) {
  const child = spawn(command, argv, { cwd: PROJECT_ROOT, stdio: "inherit", detached: true });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  const stopWatching = onParentGone((parent) => {
    forward("SIGTERM");
    setTimeout(() => forward("SIGKILL"), PARENT_GONE_GRACE_MS).unref();
    // Whoever read our output may be gone with the parent: a failed write must not end us before the child.
    process.stderr.on("error", () => {});
    console.error(`Otto Tray: the process that started this one (pid ${parent}) is gone — stopping.`);
  });
  child.on("error", (error) => {
    console.error(`Otto Tray: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    stopWatching();
    for (const s of signals) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

const choice = dashboardReason();
if (choice.binary) {
  // `electron .`: the app's main is package.json's "main" (dist/electron/main.cjs, built by `npm run build`).
  runMirrored(choice.binary, [resolve(PROJECT_ROOT), ...args]);
} else {
  console.error(`Otto Tray: ${choice.reason} — serving the dashboard instead.`);
  runMirrored(process.execPath, [join(PROJECT_ROOT, "bin", "otto-tray"), "serve", ...args]);
}
