// Claude Code sessions in the dashboard: real records in serve's CLAUDE_CONFIG_DIR naming real processes, shown under their surface, then ended.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { ownPidDomain, procStartOf } from "../core/sessions/liveness";
import { makeWorld, type World } from "./world";

test.describe.configure({ mode: "serial" });

let world: World;
let page: Page;
const children: ChildProcess[] = [];
const ARTIFACTS = join(import.meta.dirname, "artifacts");

test.beforeAll(async ({ browser }) => {
  // A session named scratch-notes belongs to a surface Otto Tray does not watch: it is one of the other sessions.
  world = await makeWorld({ sessionRules: [{ surface: "scratch", name: "scratch-notes" }] });
  page = await browser.newPage();
});

test.afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  await world?.dispose();
});

/** A real process standing in for Claude Code, and its record in serve's config directory as Claude Code 2.1.330 writes it. */
function startSession(fields: Record<string, unknown>): number {
  const child = spawn("sleep", ["300"], { stdio: "ignore" });
  children.push(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error("sleep did not start");
  const procStart = procStartOf(pid)?.start;
  if (procStart === undefined) throw new Error(`/proc/${pid}/stat cannot be read`);
  const sessions = join(world.root, "claude", "sessions");
  mkdirSync(sessions, { recursive: true });
  const now = Date.now();
  const record = { pid, sessionId: `e2e-${pid}`, cwd: world.repo, startedAt: now, procStart, pidDomain: ownPidDomain(), version: "2.1.330", kind: "interactive", entrypoint: "cli", updatedAt: now, statusUpdatedAt: now, ...fields };
  writeFileSync(join(sessions, `${pid}.json`), JSON.stringify(record));
  return pid;
}

async function killed(pid: number): Promise<void> {
  const child = children.find((c) => c.pid === pid);
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once("exit", () => done());
    process.kill(pid, "SIGKILL");
  });
}

test("a terminal session waiting for a permission prompt shows under otto-cli, and as ended once its process is killed", async () => {
  const pid = startSession({ name: "fix-login", status: "waiting", waitingFor: "permission prompt" });
  await page.goto(world.serve.url);
  const row = page.getByTestId("surface-row-otto-cli").getByTestId(`session-row-${pid}`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId(`session-state-${pid}`)).toHaveText(/^Waiting \d+s$/);
  // Name, what it waits for, the cwd's last two parts and the repository's branch, on one line.
  await expect(row).toContainText(`fix-login · waits for permission prompt · …/${world.repo.split("/").slice(-2).join("/")} · main`);
  await expect(page.getByTestId("surface-state-otto-cli")).toHaveText("Waiting");
  await expect(page.getByTestId("other-sessions")).toHaveCount(0);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "popover-session-waiting.png"), fullPage: true });

  await killed(pid);
  // Nothing rewrites the record (a killed Claude Code cannot): liveness alone says the session ended.
  await expect(page.getByTestId(`session-state-${pid}`)).toHaveText("Ended");
  await expect(row).not.toContainText("waits for");
  await expect(page.getByTestId("surface-state-otto-cli")).not.toHaveText(/Waiting|Working|Idle/);
});

test("a session no rule claims is counted under one collapsed Other sessions line that opens the list", async () => {
  const pid = startSession({ name: "scratch-notes", status: "busy" });
  const others = page.getByTestId("other-sessions");
  await expect(others.locator("summary")).toHaveText("Other sessions (1)");
  await expect(page.getByTestId(`session-row-${pid}`)).toBeHidden();
  await others.locator("summary").click();
  await expect(page.getByTestId(`session-state-${pid}`)).toHaveText(/^Working \d+s$/);
  await expect(page.getByTestId(`session-row-${pid}`)).toContainText("scratch-notes");
  // It belongs to no watched surface: it does not show under one.
  await expect(page.getByTestId("surface-row-otto-cli").getByTestId(`session-row-${pid}`)).toHaveCount(0);
  // Fits the narrowest popover: nothing scrolls sideways at 360 px.
  await page.setViewportSize({ width: 360, height: 900 });
  await page.screenshot({ path: join(ARTIFACTS, "popover-other-sessions-360.png"), fullPage: true });
  expect(await page.evaluate("document.scrollingElement.scrollWidth")).toBeLessThanOrEqual(360);
});
