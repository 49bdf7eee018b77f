// The popover is for a glance: at 360x640 the rows, banners and the action that matters fit without scrolling, in every
// state (screenshots of each, light and dark, 360 and 1280, into e2e/artifacts/glance), keyboard-reachable, console clean.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { makeWorld, type World } from "./world";

const SHOTS = join(import.meta.dirname, "artifacts", "glance");
const SURFACES = ["otto-cli", "otto-desktop", "otto-launchd"];
test.describe.configure({ mode: "serial" });

let world: World;
let page: Page;
const consoleErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  // Three surfaces, two pools of three (not yet created), hooks not installed: the first run the issue measured.
  world = await makeWorld({ poolSize: 3, identities: ["otto-cli", "otto-desktop"] });
  page = await browser.newPage({ viewport: { width: 360, height: 640 } });
  page.on("console", (m) => void (m.type() === "error" && consoleErrors.push(m.text())));
  page.on("pageerror", (e) => void consoleErrors.push(e.message));
});

test.afterAll(async () => {
  await world?.dispose();
});

/** The rows, every banner and every Unstick lie inside the 360x640 viewport, and the page itself does not scroll. */
async function expectGlanceFits(): Promise<void> {
  await page.setViewportSize({ width: 360, height: 640 });
  // Page code as strings: the e2e files compile without the DOM's types.
  const boxes = (await page.evaluate(`[...document.querySelectorAll('[data-testid^="surface-row-"], .banner, [data-testid^="unstick-"], [data-testid="safety-switch"]')].map((e) => {
      const r = e.getBoundingClientRect();
      return { what: e.getAttribute("data-testid") ?? e.className, top: r.top, bottom: r.bottom, right: r.right };
    })`)) as { what: string; top: number; bottom: number; right: number }[];
  expect(boxes.length).toBeGreaterThanOrEqual(SURFACES.length);
  for (const box of boxes) expect({ ...box, fits: box.top >= 0 && box.bottom <= 640 && box.right <= 360 }).toMatchObject({ fits: true });
  expect(await page.evaluate("document.scrollingElement.scrollHeight")).toBeLessThanOrEqual(640);
  expect(await page.evaluate("document.scrollingElement.scrollWidth")).toBeLessThanOrEqual(360);
}

/** Screenshots of this state: light and dark, at 360x640 and 1280x800. */
async function shoot(state: string): Promise<void> {
  for (const [width, height] of [
    [360, 640],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${state}-${width}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 360, height: 640 });
}

test("a bus that does not exist yet says no heartbeats yet, not that it is untrusted (empty)", async () => {
  // serve keeps its publisher lock in the bus: moved aside (not deleted) and put back, the bus is missing meanwhile.
  renameSync(world.bus, `${world.bus}-aside`);
  await page.goto(world.serve.url);
  await expect(page.getByTestId("bus-notice")).toContainText("No heartbeats yet");
  await expect(page.getByTestId("bus-banner")).toHaveCount(0);
  await expect(page.getByText("not trusted")).toHaveCount(0);
  await expectGlanceFits();
  await shoot("empty");
  renameSync(`${world.bus}-aside`, world.bus);
  await expect(page.getByTestId("bus-notice")).toHaveCount(0);
});

test("hung, stale and offline keep the rows and Unstick in view; no all-silent banner beside a live process", async () => {
  // The first beats are old (the latest beat decides): hung = none for longer than hungAfterSeconds while its process
  // (this runner) lives; stale = old with liveness unknown; offline = its process is gone.
  world.beat("otto-cli", { status: "working", note: "compiling", pid: process.pid }, 700);
  world.beat("otto-desktop", { status: "working", note: "quiet" }, 400);
  const gone = spawnSync("/bin/true").pid;
  world.beat("otto-launchd", { status: "working", note: "ended", pid: gone }, 20);
  await expect(page.getByTestId("surface-state-otto-cli")).toHaveText("Hung");
  await expect(page.getByTestId("surface-state-otto-desktop")).toHaveText("Stale");
  await expect(page.getByTestId("surface-state-otto-launchd")).toHaveText("Offline");
  // Every surface is silent (the signal that holds auto mode back is set), but otto-cli's process lives: the banner
  // would contradict its row, so it is not shown.
  const detector = (await page.evaluate(`(async () => {
    const headers = { "Content-Type": "application/json", Authorization: "Bearer " + window.sessionStorage.getItem("otto-tray-token") };
    return (await (await fetch("api/snapshot", { method: "POST", headers, body: "{}" })).json()).detector;
  })()`)) as { allSilent: boolean; surfaces: { id: string; alive: boolean | null }[] };
  expect(detector.allSilent).toBe(true);
  expect(detector.surfaces.find((s) => s.id === "otto-cli")?.alive).toBe(true);
  await expect(page.getByTestId("bus-banner")).toHaveCount(0);
  await expect(page.getByTestId("unstick-otto-cli")).toBeVisible();
  await expectGlanceFits();
  await shoot("hung-stale-offline");
});

test("three surfaces, two pools of three and no hooks fit 360x640; set-up and the pool are one line each", async () => {
  for (const s of SURFACES) world.beat(s, { status: "working", note: `${s} building`, pid: process.pid });
  for (const s of SURFACES) await expect(page.getByTestId(`surface-state-${s}`)).toHaveText("Working");
  const setup = page.getByTestId("setup-checklist");
  await expect(setup.locator("> summary")).toContainText("Set-up: 0 of 5 done");
  await expect(page.getByTestId("pool-panel").locator("> summary")).toHaveText("Pool: 0 of 6 free across 2 agents");
  await expect(page.getByTestId("audit-panel").locator("> summary")).toContainText("Recent actions");
  await expectGlanceFits();
  await shoot("working");
  // The checklist opens to the steps: each shell command on one line with a Copy button, no literal backtick anywhere.
  await setup.locator("> summary").click();
  const command = page.getByTestId("hooks-otto-cli").locator(".shell-command code");
  await expect(command).toHaveText("otto-tray hooks install --surface otto-cli");
  const box = await command.boundingBox();
  expect(box?.height ?? 99).toBeLessThan(24);
  await expect(page.getByTestId("hooks-otto-cli").getByRole("button", { name: /^Copy / })).toBeVisible();
  expect(await page.evaluate('document.body.innerText.includes("`")')).toBe(false);
  await page.screenshot({ path: join(SHOTS, "setup-open-360-light.png"), fullPage: true });
  await setup.locator("> summary").click();
});

test("the auto mode label is whole and the safety switch is named", async () => {
  const auto = page.getByTestId("auto-mode");
  await expect(auto).toHaveText("Auto mode for 1 hour");
  expect(await auto.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
  await expect(page.getByRole("switch", { name: "Safety switch" })).toBeVisible();
});

test("every control is reachable with Tab, with every line opened", async () => {
  // Each summary is itself reachable (checked closed first); opened, the controls behind it are too.
  for (const open of [false, true]) {
    await page.evaluate(`document.querySelectorAll("details").forEach((d) => (d.open = ${open}))`);
    await expectTabReaches();
  }
  await page.evaluate('document.querySelectorAll("details").forEach((d) => (d.open = false))');
});

async function expectTabReaches(): Promise<void> {
  const controls = (await page.evaluate(`[...document.querySelectorAll("a[href], button:not(:disabled), summary, input, [tabindex='0']")].filter((e) => e.checkVisibility()).map((e) => e.outerHTML.slice(0, 80))`)) as string[];
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  const reached = new Set<string>();
  for (let i = 0; i < controls.length + 5; i++) {
    await page.keyboard.press("Tab");
    reached.add((await page.evaluate('document.activeElement?.outerHTML.slice(0, 80) ?? ""')) as string);
  }
  expect(controls.filter((c) => !reached.has(c))).toEqual([]);
}

test("quorum and waiting each keep the rows, banners and Unstick in view", async () => {
  for (const s of ["otto-desktop", "otto-launchd"]) {
    world.beat(s, { status: "idle", note: "waiting for review" }, 700);
    world.beat(s, { status: "idle", note: "waiting for review" });
  }
  await expect(page.getByTestId("quorum-banner")).toBeVisible();
  await expectGlanceFits();
  await shoot("quorum");

  world.beat("otto-cli", { status: "working", waiting: "Bash: npm test", pid: process.pid });
  await expect(page.getByTestId("surface-state-otto-cli")).toHaveText("Waiting");
  await expect(page.getByTestId("unstick-otto-cli")).toBeVisible();
  await expectGlanceFits();
  await shoot("waiting");

});

test("the console has no errors (the favicon is served)", async () => {
  const favicon = await page.evaluate('fetch("favicon.svg").then((r) => r.status)');
  expect(favicon).toBe(200);
  expect(consoleErrors).toEqual([]);
});

test("an untrusted bus is an alarm; a lost connection says so (errors)", async () => {
  for (const s of SURFACES) world.beat(s, { status: "working", note: `${s} building`, pid: process.pid });
  await expect(page.getByTestId("surface-state-otto-cli")).toHaveText("Working");
  chmodSync(world.bus, 0o777);
  await expect(page.getByTestId("bus-banner")).toContainText("Bus not trusted");
  await expectGlanceFits();
  await shoot("untrusted");
  chmodSync(world.bus, 0o700);
  await expect(page.getByTestId("bus-banner")).toHaveCount(0);
  // The service stops answering the page: the banner says the connection is lost while the last rows stay.
  await page.route("**/api/**", (route) => route.abort());
  await page.reload();
  await expect(page.getByTestId("connection-state").or(page.getByTestId("connection-banner"))).toBeVisible();
  await shoot("errors");
  await page.unroute("**/api/**");
});
