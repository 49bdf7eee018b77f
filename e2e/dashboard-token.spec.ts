// The dashboard's token in Chromium: it stays in the tab's sessionStorage (no cookie another localhost port would get),
// a page without it says to open the printed URL, and a lost stream says so while it tries again.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { startServe } from "../test-support/serve";
import { makeWorld, type World } from "./world";

test.describe.configure({ mode: "serial" });

let world: World;
let other: Server;
const seenByOther: IncomingHttpHeaders[] = [];

test.beforeAll(async () => {
  world = await makeWorld();
  // Another program on this machine, on another port: it must never see the dashboard's token.
  other = createServer((req, res) => {
    seenByOther.push(req.headers);
    res.writeHead(200, { "Content-Type": "text/html" }).end("<p>another server</p>");
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", () => resolve()));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => other?.close(() => resolve()));
  await world?.dispose();
});

const base = () => world.serve.url.replace(/#token=.*$/, "");

test("the token moves to sessionStorage, the address becomes #/, and a server on another localhost port gets no token", async ({ page }) => {
  await page.goto(world.serve.url);
  await expect(page.getByTestId("open-preferences")).toBeVisible();
  expect(await page.evaluate("window.location.hash")).toBe("#/");
  expect(await page.evaluate('window.sessionStorage.getItem("otto-tray-token")')).toBe(world.serve.token);
  expect(await page.context().cookies()).toEqual([]);
  // The preferences route still works from the address, with the token from sessionStorage.
  await page.goto(`${base()}#/preferences`);
  await expect(page.getByTestId("prefs-pool-size")).toBeVisible();

  const port = (other.address() as AddressInfo).port;
  const visitor = await page.context().newPage();
  await visitor.goto(`http://127.0.0.1:${port}/`);
  await expect(visitor.locator("p")).toHaveText("another server");
  expect(seenByOther.length).toBeGreaterThan(0);
  for (const headers of seenByOther) {
    expect(JSON.stringify(headers)).not.toContain(world.serve.token);
    expect(headers.cookie).toBeUndefined();
  }
});

test("a page opened without the token, or with a wrong one, says to open the URL serve printed", async ({ page }) => {
  await page.goto(base());
  await expect(page.getByTestId("connection-state")).toContainText("open the URL otto-tray serve printed");
  // The printed URL pasted into the same tab changes only the hash: the page takes the token and starts over.
  await page.goto(`${base()}#token=wrong`);
  await expect(page.getByTestId("connection-state")).toContainText("open the URL otto-tray serve printed");
  expect(await page.evaluate("window.location.hash")).toBe("#/");
});

test("when serve goes away the page says so and tries again; a serve restarted with a new token stops it with a clear message", async ({ page }) => {
  await page.goto(world.serve.url);
  await expect(page.getByTestId("open-preferences")).toBeVisible();
  await world.serve.stop();
  await expect(page.getByTestId("connection-banner")).toContainText("Lost the connection to otto-tray serve: trying again");
  await expect(page.getByTestId("open-preferences")).toBeVisible();
  // The same port again, but a new serve has a new token: the page's next try is refused, and it stops trying.
  const again = await startServe(["--home", world.home, "--port", String(world.serve.port)], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" });
  try {
    await expect(page.getByTestId("connection-banner")).toContainText("open the URL otto-tray serve printed", { timeout: 60_000 });
  } finally {
    await again.stop();
  }
});
