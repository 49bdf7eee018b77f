// The tray app itself in Electron (Playwright's _electron): the popover and the preferences windows over a real bus,
// with screenshots. Runs where Electron's binary is installed (a Mac after ./scripts/setup); elsewhere it reports
// itself skipped with the reason.
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { _electron as electron, type ElectronApplication, expect, type Page, test } from "@playwright/test";
import { PROJECT_ROOT, findElectronBinary, missingDisplay } from "../scripts/electron-binary.mjs";
import { type DashboardDirs, makeDashboardDirs, writeHeartbeat } from "../test-support/dashboard-world";

const PROJECT_DIR = resolve(PROJECT_ROOT);
const ARTIFACTS = join(import.meta.dirname, "artifacts");

/** Why the app cannot be launched here, or undefined. Checks the package Playwright launches (require("electron")). */
function whyNotHere(): string | undefined {
  const found = findElectronBinary(join(PROJECT_DIR, "node_modules", "electron"));
  if (!found.found) return `${found.reason}; on a machine that can reach Electron's download host run \`node scripts/fetch-electron.mjs\`, then npm test again`;
  const noDisplay = missingDisplay();
  return noDisplay === undefined ? undefined : `${noDisplay}; run it under xvfb-run`;
}

const skipReason = whyNotHere();
// The list reporter shows a skipped test without its reason: say it on the output too (once: when the runner loads the file).
if (skipReason !== undefined && process.env.TEST_WORKER_INDEX === undefined) console.warn(`Electron spec skipped: ${skipReason}`);
test.skip(skipReason !== undefined, `Electron spec skipped: ${skipReason}`);
test.describe.configure({ mode: "serial" });

let dirs: DashboardDirs;

test.beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dirs = makeDashboardDirs("otto-electron-", { poolSize: 1, identities: ["otto-cli"] });
});

test.afterAll(() => {
  if (dirs) rmSync(dirs.root, { recursive: true, force: true });
});

/** Fresh heartbeats, written just before a launch so no surface is stale by the time the window shows. */
function beat(): void {
  writeHeartbeat(dirs.bus, "otto-cli", { status: "working", note: "otto-cli building" });
  writeHeartbeat(dirs.bus, "otto-desktop", { status: "idle", note: "waiting for review" });
}

/**
 * `electron <project> SWITCH` as `npm start` runs it (main = package.json's dist/electron/main.cjs, built by npm test's
 * build), on the test's state directory and bus, with a user-data directory of its own so a tray app the person
 * runs meanwhile holds a different single-instance lock.
 */
async function launch(appSwitch: "--open-popover" | "--open-preferences"): Promise<ElectronApplication> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== "ELECTRON_RUN_AS_NODE") env[name] = value;
  return electron.launch({
    args: [PROJECT_DIR, `--user-data-dir=${join(dirs.root, "electron-user-data")}`, appSwitch],
    cwd: PROJECT_DIR,
    env: { ...env, OTTO_TRAY_HOME: dirs.home, ZETA_BUS_DIR: dirs.bus },
    timeout: 60_000,
  });
}

/** The app's window whose URL matches (the popover loads the renderer's index.html, the preferences its #/preferences). */
async function windowWhere(app: ElectronApplication, match: (url: string) => boolean): Promise<Page> {
  const open = () => app.windows().map((w) => w.url());
  await expect.poll(() => open().some(match), { timeout: 30_000, message: `the app's windows: ${JSON.stringify(open())}` }).toBe(true);
  const page = app.windows().find((w) => match(w.url()));
  if (!page) throw new Error("the window went away");
  await page.waitForLoadState("domcontentloaded");
  return page;
}

const isPreferences = (url: string) => url.includes("#/preferences");
const isPopover = (url: string) => /index\.html/.test(url) && !isPreferences(url);

test("--open-popover opens the popover with each surface's row and state", async () => {
  beat();
  const app = await launch("--open-popover");
  try {
    const popover = await windowWhere(app, isPopover);
    await expect(popover.getByTestId("surface-row-otto-cli")).toBeVisible();
    await expect(popover.getByTestId("surface-state-otto-cli")).toHaveText("Working");
    await expect(popover.getByTestId("surface-row-otto-desktop")).toContainText("waiting for review");
    await expect(popover.getByTestId("surface-state-otto-desktop")).toHaveText("Idle");
    await popover.screenshot({ path: join(ARTIFACTS, "electron-popover.png") });
  } finally {
    await app.close();
  }
});

test("--open-preferences opens the preferences window with the saved pool size", async () => {
  beat();
  const app = await launch("--open-preferences");
  try {
    const prefs = await windowWhere(app, isPreferences);
    await expect(prefs.getByTestId("prefs-pool-size")).toHaveValue("1");
    await prefs.screenshot({ path: join(ARTIFACTS, "electron-preferences.png") });
  } finally {
    await app.close();
  }
});
