// The set-up's optional step: fetch Electron's binary (the package's own install.js) under a time limit, say in one line
// what happened, and never fail (exit 0 always: without the binary `npm start` serves the dashboard).
// Usage: node scripts/fetch-electron.mjs [--timeout SECONDS]  (default 120)
import { spawn } from "node:child_process";
import { join } from "node:path";
import { electronPackageDir, findElectronBinary } from "./electron-binary.mjs";

const timeoutArg = process.argv.indexOf("--timeout");
const timeoutSeconds = timeoutArg > 0 ? Number(process.argv[timeoutArg + 1]) : 120;
const packageDir = electronPackageDir();
const INSTALLED = "Electron: binary installed — npm start opens the tray app";
const notInstalled = (why) => `Electron: could not fetch the binary (${why}) — npm start serves the dashboard instead`;

/** The first line of install.js's error output that says something (its stack's message), cut short. */
function shortReason(stderr, fallback) {
  const line = stderr.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("at "));
  if (!line) return fallback;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function finish(line) {
  console.log(line);
  process.exit(0);
}

if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) finish(notInstalled(`--timeout needs a positive number of seconds`));
if (findElectronBinary(packageDir).found) finish(INSTALLED);

// install.js skips when ELECTRON_SKIP_BINARY_DOWNLOAD is set (the set-up's npm ci sets it): unset it for this step only.
const env = { ...process.env };
delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
// Its own process group, so the time limit ends whatever it started too.
const child = spawn(process.execPath, [join(packageDir, "install.js")], { cwd: packageDir, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
let stderr = "";
child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}, timeoutSeconds * 1000);
child.on("error", (error) => {
  clearTimeout(timer);
  finish(notInstalled(error.message));
});
child.on("close", (code) => {
  clearTimeout(timer);
  if (timedOut) finish(notInstalled(`no answer within ${timeoutSeconds} s`));
  // install.js can end 0 without installing (an unsupported platform, a skip variable): trust only the file.
  const after = findElectronBinary(packageDir);
  if (after.found) finish(INSTALLED);
  finish(notInstalled(code === 0 ? after.reason : shortReason(stderr, `install.js exited ${code}`)));
});
