// Playwright: a 5,000-character, 40-line command is confirmed whole, in Chromium: in the dashboard's in-page dialog (a
// real `otto-tray serve` and a real waiting `otto-tray hook`), and in the page the tray app's own confirmation window
// loads (JavaScript off, as in that window). Every line is reached by scrolling. The policy refuses a command holding
// an ESC or a bidi override before any plan is made, so the dashboard's real plan holds what can reach a confirmation
// (a tab, and literal text that looks like a token); the window's page is shown the ESC and the bidi override.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { unstickConfirm } from "../core/text/confirm-text";
import { visibleLine } from "../core/text/visible-text";
import { confirmChoice } from "../electron/main/confirm-choice";
import { writeConfirmPage } from "../electron/main/confirm-window-file";
import { CLI_BIN, runCli } from "../test-support/cli";
import { makeWorld, type World } from "./world";

const ARTIFACTS = join(import.meta.dirname, "artifacts");
const LINES = Array.from({ length: 40 }, (_, i) => `echo 'line ${String(i).padStart(2, "0")} ${"x".repeat(112)}'${i === 9 ? "\u001b[8m" : ""}${i === 27 ? "\u202e" : ""}`);
const COMMAND = LINES.join("\n");
/** The same length and lines, judgeable: a tab, a literal control picture and a literal "<U+202E>" in place of the ESC and the override. */
const PLANNED_LINES = Array.from({ length: 40 }, (_, i) => `echo 'line ${String(i).padStart(2, "0")} ${"x".repeat(112)}${i === 9 ? "\t␛[8m" : ""}${i === 27 ? "<U+202E>" : ""}'`);
const PLANNED = PLANNED_LINES.join("\n");

/** Scrolls `box` with the mouse wheel until each of its rows has been in view; returns the rows' texts. */
async function scrollThrough(page: Page, box: Locator, rows: Locator): Promise<string[]> {
  const count = await rows.count();
  const seen: string[] = [];
  await box.hover();
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    for (let step = 0; step < 200 && !(await isInside(row, box)); step++) await page.mouse.wheel(0, 40);
    expect(await isInside(row, box), `line ${i + 1} scrolled into view`).toBe(true);
    seen.push(await row.innerText());
  }
  return seen;
}

/** True when the row's top edge is inside the scrolling box's visible area. */
async function isInside(row: Locator, box: Locator): Promise<boolean> {
  const [r, b] = await Promise.all([row.boundingBox(), box.boundingBox()]);
  return r !== null && b !== null && r.y >= b.y && r.y + Math.min(r.height, 18) <= b.y + b.height;
}

test.describe("a long command is confirmed whole", () => {
  test.describe.configure({ mode: "serial" });
  let world: World;
  let hook: ChildProcess | undefined;

  test.beforeAll(async () => {
    expect(COMMAND.length).toBeGreaterThan(5000);
    expect(PLANNED.length).toBeGreaterThan(5000);
    world = await makeWorld();
  });

  test.afterAll(async () => {
    if (hook?.exitCode === null) hook.kill("SIGTERM");
    await world?.dispose();
  });

  test("the dashboard's dialog shows all 40 lines, scrolling inside it, a tab and token look-alikes as marks", async ({ page }) => {
    expect(runCli(["actuator", "on", "--confirm", "--home", world.home, "--bus-dir", world.bus]).code).toBe(0);
    hook = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", world.home, "--bus-dir", world.bus], { stdio: ["pipe", "ignore", "ignore"] });
    hook.stdin?.end(JSON.stringify({ hook_event_name: "PermissionRequest", session_id: "s-long", tool_name: "Bash", tool_input: { command: PLANNED }, cwd: world.repo }));
    const requests = join(world.home, "actuator", "requests");
    await expect.poll(() => existsSync(requests) && readdirSync(requests).some((f) => f.endsWith(".json"))).toBe(true);

    await page.goto(world.serve.url);
    const unstick = page.getByTestId("unstick-otto-cli");
    await expect(unstick).toBeEnabled();
    await unstick.click();
    const dialog = page.getByTestId("confirm-dialog");
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId("confirm-subject-label")).toContainText(`40 lines, ${PLANNED.length} characters, shown whole`);
    await expect(page.getByTestId("confirm-subject-label")).toContainText("WARNING: 3 characters are shown as marks");
    // The command scrolls inside the dialog; the buttons stay in view.
    const box = page.getByTestId("confirm-command");
    expect(await box.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);
    expect(await box.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await expect(page.getByTestId("confirm-accept")).toBeInViewport();
    await expect(page.getByTestId("confirm-cancel")).toBeInViewport();
    await page.screenshot({ path: join(ARTIFACTS, "confirm-long-top.png") });

    const seen = await scrollThrough(page, box, page.getByTestId("confirm-command-line"));
    expect(seen).toEqual(PLANNED_LINES.map(visibleLine));
    expect(seen[9]).toMatch(/x␉<U\+241B>\[8m'$/);
    expect(seen[27]).toMatch(/x<U\+003C>U\+202E>'$/);
    await expect(box.locator("mark.confirm-token")).toHaveText(["␉", "<U+241B>", "<U+003C>"]);
    await expect(page.getByTestId("confirm-accept")).toBeInViewport();
    await page.screenshot({ path: join(ARTIFACTS, "confirm-long-bottom.png") });
    await page.getByTestId("confirm-cancel").click();
    await expect(dialog).toBeHidden();
  });

  test("the tray app's own window (too long for a native box) shows all 40 lines, scrolling, and answers by its links", async ({ browser }) => {
    const text = unstickConfirm({ planId: "p", surface: "otto-cli", backend: "hook", expiresAt: "2026-05-16T10:02:30Z", switchOn: true, prompt: { title: "Bash command", subject: COMMAND, question: "Do you want to proceed?" }, action: { answer: "Yes", keys: "PermissionRequest decision: allow" } });
    const choice = confirmChoice(text);
    expect(choice.kind).toBe("window");
    if (choice.kind !== "window") return;
    // As the shell opens it: JavaScript off, the page from its private file, at the window's size.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: choice.page.width, height: choice.page.height } });
    const page = await context.newPage();
    const file = writeConfirmPage(choice.page.html);
    await page.goto(file.url);
    await expect(page).toHaveTitle("Unstick otto-cli?");
    await expect(page.locator("#cancel")).toBeFocused();
    const box = page.locator("#command");
    expect(await box.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);
    await expect(page.locator("#confirm")).toBeInViewport();
    const seen = await scrollThrough(page, box, box.locator("li"));
    expect(seen).toEqual(LINES.map(visibleLine));
    await expect(box.locator("mark")).toHaveText(["␛", "<U+202E>"]);
    await expect(page.locator("#confirm")).toBeInViewport();
    await page.screenshot({ path: join(ARTIFACTS, "confirm-window-bottom.png") });
    // The shell reads the answer from this in-page navigation.
    await page.locator("#confirm").click();
    await expect(page).toHaveURL(`${file.url}#confirm`);
    await page.goBack();
    await page.locator("#cancel").click();
    await expect(page).toHaveURL(`${file.url}#cancel`);
    await context.close();
    file.dispose();
    expect(existsSync(fileURLToPath(file.url))).toBe(false);
  });
});
