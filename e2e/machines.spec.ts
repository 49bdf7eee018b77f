// Other machines in the popover: serve runs the bridge from its preferences, a second machine's `otto-tray bridge` beats
// through a real nats-server; its surfaces show under its name, a waiting one says where to answer it, and a lost hub shows.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { CLI_BIN, REPO_ROOT } from "../test-support/cli";
import { type NatsServer, startNatsServer, stopAllNatsServers } from "../test-support/nats-server";
import { makeWorld, type World } from "./world";

test.describe.configure({ mode: "serial" });

let world: World;
let page: Page;
let hub: NatsServer;
let far: ChildProcess | undefined;
const ARTIFACTS = join(import.meta.dirname, "artifacts");

test.beforeAll(async ({ browser }) => {
  hub = await startNatsServer();
  world = await makeWorld({ bridge: { enabled: true, url: hub.url, host: "mac-here" } });
  page = await browser.newPage({ viewport: { width: 360, height: 640 } });
});

test.afterAll(async () => {
  if (far?.pid !== undefined && far.exitCode === null && far.signalCode === null) process.kill(far.pid, "SIGKILL");
  await world?.dispose();
  stopAllNatsServers();
});

test("another machine's surfaces show under its name; a waiting one says to answer it there, and its command stays on it", async () => {
  // The other machine: its own bus and state directory, and `otto-tray bridge` as it would run there.
  const bus = join(world.root, "far-bus");
  const home = join(world.root, "far-home");
  mkdirSync(bus, { mode: 0o700 });
  chmodSync(bus, 0o700);
  mkdirSync(home);
  far = spawn(process.execPath, [CLI_BIN, "bridge", "--url", hub.url, "--host", "mac-far", "--bus-dir", bus, "--home", home], { cwd: REPO_ROOT, stdio: "ignore", env: { ...process.env, ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" } });
  writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", from: "otto-cli", payload: { status: "working", waiting: "permission for Bash: rm -rf build", note: "billing refactor" } }));
  await page.goto(world.serve.url);
  const machines = page.getByTestId("other-machines");
  await expect(page.getByTestId("bridge-headline")).toContainText(`Bridge to ${hub.url} as mac-here: connected`);
  const surfaceThere = page.getByTestId("machine-surface-mac-far-otto-cli");
  await expect(surfaceThere).toBeVisible();
  await expect(surfaceThere).toContainText("Waiting");
  await expect(surfaceThere).toContainText("permission for Bash — answer it on mac-far");
  await expect(page.getByTestId("machine-link-mac-far")).toHaveText("connected");
  await expect(machines).not.toContainText("rm -rf");
  await expect(machines).not.toContainText("billing");
  // The local rows are this machine's own: nothing from mac-far is among them.
  await expect(page.getByTestId("surface-state-otto-cli")).not.toHaveText("Waiting");
  await page.screenshot({ path: join(ARTIFACTS, "popover-other-machines-360.png"), fullPage: true });
});

test("a lost hub shows as reconnecting in the headline and on each machine", async () => {
  await hub.stop();
  await expect(page.getByTestId("bridge-headline")).toContainText(/mac-here: reconnecting for \d+s/);
  await expect(page.getByTestId("machine-link-mac-far")).toHaveText(/^reconnecting for \d+s$/);
  hub = await hub.restart();
  await expect(page.getByTestId("bridge-headline")).toContainText("mac-here: connected");
  await expect(page.getByTestId("machine-link-mac-far")).toHaveText("connected");
});
