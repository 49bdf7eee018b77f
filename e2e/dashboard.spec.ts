// The dashboard walk in Chromium against a real `otto-tray serve`, bus, repository and hosted session.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { answersOf, hasPrompt, type HostedSession, startStandIn } from "../test-support/hosted-session-host";
import { makeWorld, type World } from "./world";

const ARTIFACTS = join(import.meta.dirname, "artifacts");
test.describe.configure({ mode: "serial" });

let world: World;
let session: HostedSession | undefined;
let page: Page;

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  world = await makeWorld();
  page = await browser.newPage();
});

test.afterAll(async () => {
  // The host writes its session's last beat (SessionEnd) as it ends: wait for it, or removing the bus races it.
  const host = session?.host;
  if (host !== undefined && host.exitCode === null && host.signalCode === null) {
    await new Promise<void>((done) => {
      host.once("exit", () => done());
      host.kill("SIGTERM");
    });
  }
  await world?.dispose();
});

async function shoot(name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("states appear and change live as heartbeats arrive", async () => {
  await page.goto(world.serve.url);
  // The token leaves the address (and the history entry) for this tab's sessionStorage; the route is the popover's.
  await expect(page).not.toHaveURL(/token=/);
  await expect.poll(() => page.evaluate("window.location.hash")).toBe("#/");
  expect(await page.evaluate('window.sessionStorage.getItem("otto-tray-token")')).toBe(world.serve.token);
  expect(await page.context().cookies()).toEqual([]);
  const launchd = page.getByTestId("surface-state-otto-launchd");
  await expect(launchd).toHaveText(/Unknown|Offline/);
  for (const s of ["otto-cli", "otto-desktop", "otto-launchd"]) world.beat(s, { status: "working", note: `${s} building` });
  await expect(launchd).toHaveText("Working");
  await expect(page.getByTestId("surface-row-otto-desktop")).toContainText("otto-desktop building");
  // The pool is one line that opens to its leases.
  await expect(page.getByTestId("pool-panel").locator("> summary")).toContainText("Pool:");
  await page.getByTestId("pool-panel").locator("> summary").click();
  await expect(page.getByTestId("pool-lease-otto-cli")).toBeVisible();
  await shoot("popover-calm");
  // Fits the narrowest popover: nothing scrolls sideways at 360 px.
  await page.setViewportSize({ width: 360, height: 900 });
  expect(await page.evaluate("document.scrollingElement.scrollWidth")).toBeLessThanOrEqual(360);
  await page.screenshot({ path: join(ARTIFACTS, "popover-calm-360.png"), fullPage: true });
  await page.setViewportSize({ width: 400, height: 900 });
  world.beat("otto-launchd", { status: "idle", note: "done" });
  await expect(launchd).toHaveText("Idle");
  // A reload (the address no longer holds the token) keeps working from sessionStorage.
  await page.reload();
  await expect(launchd).toHaveText("Idle");
  await expect(page.getByTestId("connection-banner")).toHaveCount(0);
});

test("the quorum banner appears when two surfaces go idle", async () => {
  await expect(page.getByTestId("quorum-banner")).toHaveCount(0);
  for (const s of ["otto-desktop", "otto-launchd"]) {
    world.beat(s, { status: "idle", note: "waiting for review" }, 700);
    world.beat(s, { status: "idle", note: "waiting for review" });
  }
  await expect(page.getByTestId("quorum-banner")).toBeVisible();
  await expect(page.getByTestId("quorum-banner")).toContainText("otto-desktop");
});

test("the safety switch asks first, and a cancel leaves it off", async () => {
  session = await startStandIn({ home: world.home, bus: world.bus, env: { STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, until: hasPrompt });
  await expect(page.getByTestId("surface-state-otto-cli")).toHaveText("Waiting");
  const unstick = page.getByTestId("unstick-otto-cli");
  await expect(unstick).toBeDisabled();
  await expect(page.getByTestId("surface-row-otto-cli")).toContainText("Safety switch is off");
  await shoot("popover-alarmed");
  const toggle = page.getByTestId("safety-switch");
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-cancel").click();
  await expect(page.getByTestId("confirm-dialog")).toBeHidden();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("confirm-accept").click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
});

test("Unstick on a hosted session blocked on a prompt shows the plan, asks, and lets it through", async () => {
  const unstick = page.getByTestId("unstick-otto-cli");
  await expect(unstick).toBeEnabled();
  await unstick.click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toContainText("npm test");
  await expect(dialog).toContainText("Yes");
  await page.screenshot({ path: join(ARTIFACTS, "unstick-plan-light.png") });
  expect(answersOf(session?.log ?? "")).toEqual([]);
  await page.getByTestId("confirm-accept").click();
  await expect(page.getByTestId("action-result")).toContainText('answered "Yes"');
  await expect.poll(() => answersOf(session?.log ?? "")).toEqual(["allowed npm test"]);
});

test("installs a surface's Claude Code hooks after asking, and the installed hook's heartbeats update the row", async () => {
  const settingsFile = join(world.root, "claude", "settings.json");
  // Hooks are a step of the first-run checklist, one line until opened.
  await page.getByTestId("setup-checklist").locator("> summary").click();
  const hooks = page.getByTestId("hooks-otto-desktop");
  await expect(hooks).toContainText("otto-desktop: not installed");
  const install = page.getByTestId("hooks-install-otto-desktop");
  await install.click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toContainText(settingsFile);
  await expect(dialog).toContainText('hook --surface otto-desktop --pid "$PPID"');
  await page.getByTestId("confirm-cancel").click();
  expect(existsSync(settingsFile)).toBe(false);

  await install.click();
  await page.getByTestId("confirm-accept").click();
  await expect(page.getByTestId("action-result")).toContainText(`Hooks for otto-desktop installed in ${settingsFile}`);
  await expect(hooks).toContainText("otto-desktop: installed, current");
  await expect(install).toHaveCount(0);
  await page.getByLabel("Hooks", { exact: true }).screenshot({ path: join(ARTIFACTS, "hooks-installed-light.png") });

  // Run the installed hook as Claude Code does (through sh, the event on stdin): the row follows its heartbeat.
  const settings = JSON.parse(readFileSync(settingsFile, "utf8")) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  const command = settings.hooks.PostToolUse?.[0]?.hooks[0]?.command ?? "";
  const run = spawnSync("/bin/sh", ["-c", command], { input: '{"hook_event_name":"PostToolUse","tool_name":"Read"}', encoding: "utf8" });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  await expect(page.getByTestId("surface-state-otto-desktop")).toHaveText("Working");
  await expect(page.getByTestId("surface-row-otto-desktop")).toContainText("Read");
});

test("preferences reject an invalid pool size beside the field, persist a valid one, and the pool grows", async () => {
  await page.getByTestId("open-preferences").click();
  await expect(page).toHaveURL(/#\/preferences$/);
  const size = page.getByTestId("prefs-pool-size");
  await size.fill("9");
  await page.getByTestId("prefs-save").click();
  await expect(page.getByTestId("prefs-error")).toBeVisible();
  await expect(page.getByTestId("prefs-error")).toContainText(/8/);
  expect(JSON.parse(readFileSync(world.prefsFile, "utf8")).poolSize).toBe(1);
  await shoot("preferences-error");
  await size.fill("2");
  await page.getByTestId("prefs-save").click();
  // Growing the pool runs git (worktree add): allow for a loaded machine.
  await expect(page.getByTestId("prefs-result")).toContainText("added", { timeout: 60_000 });
  await expect(page.getByTestId("prefs-error")).toHaveCount(0);
  expect(JSON.parse(readFileSync(world.prefsFile, "utf8")).poolSize).toBe(2);
  expect(existsSync(join(world.poolRoot, "otto-cli", "sidetick-2"))).toBe(true);
  await shoot("preferences");
  await page.goto(`${world.serve.url.replace(/#token=.*$/, "")}#/`);
  await expect(page.getByTestId("pool-lease-otto-cli")).toContainText("2 of 2 free");
});

test("preferences validate the notification interval beside its field and persist a valid one", async () => {
  await page.getByTestId("open-preferences").click();
  await expect(page).toHaveURL(/#\/preferences$/);
  const interval = page.getByTestId("prefs-notify-interval");
  await interval.fill("5");
  await page.getByTestId("prefs-save").click();
  await expect(page.getByTestId("prefs-error")).toContainText(/10/);
  expect(JSON.parse(readFileSync(world.prefsFile, "utf8")).notifications?.minIntervalSeconds).not.toBe(5);
  await interval.fill("120");
  await page.getByTestId("prefs-save").click();
  await expect(page.getByTestId("prefs-result")).toContainText("Saved");
  await expect(page.getByTestId("prefs-error")).toHaveCount(0);
  expect(JSON.parse(readFileSync(world.prefsFile, "utf8")).notifications).toEqual({ minIntervalSeconds: 120 });
  await page.goto(`${world.serve.url.replace(/#token=.*$/, "")}#/`);
});

test("saving the form for one field keeps a hand edit made while serve runs; a bad value is named in words; the popover names a bad key", async () => {
  await page.getByTestId("open-preferences").click();
  await expect(page).toHaveURL(/#\/preferences$/);
  const quorum = page.locator("#pref-quorumSize");
  await expect(quorum).toHaveValue("2");
  // Edited by hand while the form shows the copy it opened with.
  const before = JSON.parse(readFileSync(world.prefsFile, "utf8")) as Record<string, unknown>;
  writeFileSync(world.prefsFile, JSON.stringify({ ...before, quorumCooldownSeconds: 123 }, null, 2));
  await quorum.fill("1");
  await page.getByTestId("prefs-save").click();
  await expect(page.getByTestId("prefs-error")).toHaveText("must be a whole number from 2 to 16");
  await quorum.fill("3");
  await page.getByTestId("prefs-save").click();
  await expect(page.getByTestId("prefs-result")).toContainText("Saved");
  expect(JSON.parse(readFileSync(world.prefsFile, "utf8"))).toEqual({ ...before, quorumCooldownSeconds: 123, quorumSize: 3 });
  await expect(page.getByTestId("prefs-quorum-cooldown")).toHaveValue("123");
  await page.goto(`${world.serve.url.replace(/#token=.*$/, "")}#/`);
  // A mistyped key, by hand: serve follows the file and the popover names it; the rest still holds.
  writeFileSync(world.prefsFile, JSON.stringify({ ...before, quorumSizee: 3 }, null, 2));
  await expect(page.getByTestId("prefs-banner")).toContainText("quorumSizee: unknown key, ignored (did you mean quorumSize?)");
  writeFileSync(world.prefsFile, JSON.stringify(before, null, 2));
  await expect(page.getByTestId("prefs-banner")).toHaveCount(0);
});

test("values that cannot work are warned of beside their fields before saving; Save anyway writes them knowingly", async () => {
  await page.getByTestId("open-preferences").click();
  await expect(page).toHaveURL(/#\/preferences$/);
  const before = readFileSync(world.prefsFile, "utf8");
  const save = page.getByTestId("prefs-save");
  await expect(save).toHaveText("Save");
  await page.locator("#pref-quorumSize").fill("4");
  await page.locator("#pref-surfaces").fill("otto-clii, otto-desktop, otto-launchd");
  await page.locator("#pref-repo").fill(join(world.root, "no-such-repo"));
  // Typed and saved at once, before the check as the person types has answered: the save checks first and writes nothing.
  await save.click();
  const warnings = page.getByTestId("prefs-warning");
  await expect(warnings).toHaveCount(3);
  await expect(page.locator(".field", { has: page.locator("#pref-quorumSize") }).getByTestId("prefs-warning")).toHaveText("a quorum of 4 can never be reached: only 3 surfaces are listed. Lower it to 3, or list more surfaces");
  await expect(page.locator(".field", { has: page.locator("#pref-surfaces") }).getByTestId("prefs-warning")).toContainText('Did you mean "otto-cli"?');
  await expect(page.locator(".field", { has: page.locator("#pref-repo") }).getByTestId("prefs-warning")).toContainText("no-such-repo does not exist");
  await expect(page.getByTestId("prefs-warning-summary")).toContainText("3 values cannot work as set");
  await expect(save).toHaveText("Save anyway");
  expect(readFileSync(world.prefsFile, "utf8")).toBe(before);
  await shoot("preferences-warnings");
  // Fixed one by one, each warning goes as it is fixed; a new surface id the person means is saved anyway.
  await page.locator("#pref-quorumSize").fill("3");
  await page.locator("#pref-repo").fill(world.repo);
  await expect(warnings).toHaveCount(1);
  await page.locator("#pref-surfaces").fill("otto-cli, otto-desktop, build-box");
  await expect(warnings).toHaveText(['no heartbeat from "build-box" has reached the bus. A new surface is fine: it shows once its hooks are installed.']);
  await save.click();
  await expect(page.getByTestId("prefs-result")).toContainText("Saved");
  expect((JSON.parse(readFileSync(world.prefsFile, "utf8")) as { surfaces: unknown[] }).surfaces).toEqual(["otto-cli", "otto-desktop", "build-box"]);
  // Back as it was, for the walk's next steps.
  writeFileSync(world.prefsFile, before);
  await page.goto(`${world.serve.url.replace(/#token=.*$/, "")}#/`);
  await expect(page.getByTestId("surface-row-otto-launchd")).toBeVisible();
});

test("paused detection says so in a banner, claims no state, and Resume brings the live states back", async () => {
  world.beat("otto-desktop", { status: "working", note: "otto-desktop building" });
  await expect(page.getByTestId("surface-state-otto-desktop")).toHaveText("Working");
  // The menu-bar app pauses from its menu; the dashboard's page calls the same API.
  // As the page's own calls do: POST, a JSON body, and the token from the tab's sessionStorage in the header.
  const paused = await page.evaluate(`(async () => {
    const headers = { "Content-Type": "application/json", Authorization: "Bearer " + window.sessionStorage.getItem("otto-tray-token") };
    return (await fetch("api/setPaused", { method: "POST", headers, body: '{"paused":true}' })).json();
  })()`);
  expect(paused).toMatchObject({ pausedSince: expect.any(String) });
  await expect(page.getByTestId("paused-banner")).toBeVisible();
  await expect(page.getByTestId("surface-state-otto-desktop")).toHaveText("Unknown");
  await page.screenshot({ path: join(ARTIFACTS, "popover-paused-light.png"), fullPage: true });
  await page.getByTestId("paused-banner").getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("paused-banner")).toHaveCount(0);
  await expect(page.getByTestId("surface-state-otto-desktop")).toHaveText("Working");
});
