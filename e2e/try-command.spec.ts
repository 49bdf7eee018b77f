// The dashboard's "try a command" in Chromium against a real `otto-tray serve`: the preferences page judges a text
// with the actuator's own policy, command by command; `npm test; rm -rf /` shows rm blocked.
import { expect, type Page, test } from "@playwright/test";
import { makeWorld, type World } from "./world";

let world: World;
let page: Page;

test.beforeAll(async ({ browser }) => {
  world = await makeWorld();
  page = await browser.newPage();
});

test.afterAll(async () => {
  await world?.dispose();
});

test("try a command in the preferences: npm test would run, rm -rf / is blocked, and the text is refused", async () => {
  await page.goto(world.serve.url);
  await page.getByTestId("open-preferences").click();
  await expect(page).toHaveURL(/#\/preferences$/);
  await page.getByTestId("try-command-text").fill("npm test; rm -rf /");
  await page.getByTestId("try-command-judge").click();
  await expect(page.getByTestId("try-command-verdict")).toHaveText(/^Refused \(blocked\): it deletes files \(rm\)/);
  await expect(page.getByTestId("try-command-rm")).toHaveAttribute("data-verdict", "blocked");
  await expect(page.getByTestId("try-command-rm")).toContainText("rm -rf /");
  await expect(page.getByTestId("try-command-npm")).toContainText("runs npm");
  // Alone, npm test is what auto mode answers (the box is ticked by default).
  await page.getByTestId("try-command-text").fill("npm test");
  await page.getByTestId("try-command-judge").click();
  await expect(page.getByTestId("try-command-verdict")).toHaveText(/^Would be answered/);
  await expect(page.getByTestId("try-command-npm")).toHaveAttribute("data-verdict", "allowed");
});
