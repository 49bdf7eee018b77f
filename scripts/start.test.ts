// `npm start`'s launcher run as a real process: the dashboard with a one-line reason where Electron's binary is missing,
// the app (a stand-in binary inside a stand-in electron package) launched on the project directory where it exists.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeBus } from "../test-support/bus";
import { REPO_ROOT } from "../test-support/cli";
import { http } from "../test-support/serve";
import { makeTempDir } from "../test-support/temp";

const LAUNCHER = join(REPO_ROOT, "scripts", "start.mjs");
const PROJECT_DIR = REPO_ROOT.replace(/\/$/, "");
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

interface Launched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node scripts/start.mjs ARGS` with the given electron package; the machine's own switches are cleared. */
function launch(electronPackage: string, args: string[], env: NodeJS.ProcessEnv = {}): Launched {
  const base = { ...process.env };
  for (const name of ["OTTO_TRAY_DASHBOARD", "ELECTRON_OVERRIDE_DIST_PATH", "OTTO_TRAY_HOME", "ZETA_BUS_DIR"]) delete base[name];
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: makeTempDir("otto-start-cwd-"), env: { ...base, OTTO_TRAY_ELECTRON_PACKAGE: electronPackage, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Polls until the launched process has printed a whole line on stdout (or exited, or 20 s passed). */
async function firstLine(launched: Launched): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const out = launched.stdout();
    if (out.includes("\n")) return out.slice(0, out.indexOf("\n"));
    if (launched.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no line on stdout; stderr: ${launched.stderr()}`);
}

/** An electron package with no binary: what `npm ci` leaves with ELECTRON_SKIP_BINARY_DOWNLOAD=1. */
function packageWithoutBinary(): string {
  const dir = join(makeTempDir("otto-electron-pkg-"), "electron");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "electron", version: "41.7.1" }));
  return dir;
}

/** An electron package whose path.txt names a stand-in binary that records its argv and cwd, then runs SCRIPT. */
function packageWithStandIn(script: string): { dir: string; record: string } {
  const dir = packageWithoutBinary();
  const record = join(dir, "..", "record.txt");
  mkdirSync(join(dir, "dist"));
  writeFileSync(join(dir, "path.txt"), "stand-in-electron");
  const binary = join(dir, "dist", "stand-in-electron");
  writeFileSync(binary, `#!/bin/sh\npwd > '${record}'\nfor a in "$@"; do echo "$a" >> '${record}'; done\n${script}\n`);
  chmodSync(binary, 0o755);
  return { dir, record };
}

const DASHBOARD_LINE = /^Dashboard: http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)$/;
// Electron on Linux needs a display; the stand-in does not, but the launcher checks for one first.
const WITH_DISPLAY = { DISPLAY: ":0" };

describe("npm start's launcher", () => {
  it("without Electron's binary says why in one line and serves the dashboard, which a SIGTERM to it ends", async () => {
    const { bus, home } = makeBus("otto-start-");
    const pkg = packageWithoutBinary();
    const launched = launch(pkg, ["--port", "0", "--home", home, "--bus-dir", bus], WITH_DISPLAY);
    const line = await firstLine(launched);
    expect(line).toMatch(DASHBOARD_LINE);
    expect(launched.stderr()).toBe(`Otto Tray: Electron's binary is not installed (${join(pkg, "dist")} is missing: the download was skipped or failed) — serving the dashboard instead.\n`);
    const port = Number(DASHBOARD_LINE.exec(line)?.[1]);
    const token = DASHBOARD_LINE.exec(line)?.[2] ?? "";
    expect((await http(port, "GET", "/api/snapshot", { Authorization: `Bearer ${token}` })).status).toBe(200);
    launched.child.kill("SIGTERM");
    expect(await launched.exited).toEqual({ code: 0, signal: null });
    // The dashboard (the launcher's child) got the signal too: nothing listens any more.
    await expect(http(port, "GET", "/api/snapshot", { Authorization: `Bearer ${token}` })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("passes extra arguments through to otto-tray serve (a bad one gets serve's usage error and exit code)", async () => {
    const launched = launch(packageWithoutBinary(), ["--port", "not-a-port"]);
    expect((await launched.exited).code).toBe(2);
    expect(launched.stderr()).toMatch(/^Otto Tray: Electron's binary is not installed .* — serving the dashboard instead\.\n/);
    expect(launched.stderr()).toMatch(/port/);
  });

  it("with Electron's binary launches it on the project directory with the arguments, and exits with its exit code", async () => {
    for (const exitCode of [0, 3]) {
      const { dir, record } = packageWithStandIn(`exit ${exitCode}`);
      const launched = launch(dir, ["--open-popover"], WITH_DISPLAY);
      expect(await launched.exited).toEqual({ code: exitCode, signal: null });
      expect(readFileSync(record, "utf8").split("\n")).toEqual([PROJECT_DIR, PROJECT_DIR, "--open-popover", ""]);
      expect(launched.stderr()).toBe("");
      expect(launched.stdout()).toBe("");
    }
  });

  it("passes a SIGTERM on to the app and ends by the same signal when the app does", async () => {
    const { dir, record } = packageWithStandIn("exec sleep 60");
    const launched = launch(dir, [], WITH_DISPLAY);
    for (let i = 0; i < 200 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(record)).toBe(true);
    launched.child.kill("SIGTERM");
    expect(await launched.exited).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("OTTO_TRAY_DASHBOARD=1 serves the dashboard even where Electron's binary exists, and never starts it", async () => {
    const { bus, home } = makeBus("otto-start-");
    const { dir, record } = packageWithStandIn("exit 0");
    const launched = launch(dir, ["--home", home, "--bus-dir", bus], { ...WITH_DISPLAY, OTTO_TRAY_DASHBOARD: "1" });
    expect(await firstLine(launched)).toMatch(DASHBOARD_LINE);
    expect(launched.stderr()).toBe("Otto Tray: OTTO_TRAY_DASHBOARD=1 is set — serving the dashboard instead.\n");
    expect(existsSync(record)).toBe(false);
    launched.child.kill("SIGTERM");
    expect(await launched.exited).toEqual({ code: 0, signal: null });
  });

  it.runIf(process.platform === "linux")("on Linux without a display serves the dashboard rather than start an app that cannot show", async () => {
    const { bus, home } = makeBus("otto-start-");
    const { dir, record } = packageWithStandIn("exit 0");
    const launched = launch(dir, ["--home", home, "--bus-dir", bus], { DISPLAY: "", WAYLAND_DISPLAY: "" });
    expect(await firstLine(launched)).toMatch(DASHBOARD_LINE);
    expect(launched.stderr()).toBe("Otto Tray: there is no display to show a tray in ($DISPLAY and $WAYLAND_DISPLAY are unset) — serving the dashboard instead.\n");
    expect(existsSync(record)).toBe(false);
    launched.child.kill("SIGTERM");
    expect(await launched.exited).toEqual({ code: 0, signal: null });
  });
});
