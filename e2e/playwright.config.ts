// Playwright: the dashboard walk on Debian's Chromium (no browser download) against a real `otto-tray serve`, and the
// tray app in Electron (its own project: no browser, no Chromium launch options; skipped, with the reason, without Electron).
import { defineConfig } from "@playwright/test";
import "../test-support/isolate-claude";

export default defineConfig({
  testDir: ".",
  outputDir: "artifacts/results",
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  projects: [
    {
      name: "dashboard",
      testMatch: "*.spec.ts",
      testIgnore: "electron.spec.ts",
      use: {
        browserName: "chromium",
        screenshot: "only-on-failure",
        viewport: { width: 400, height: 900 },
        launchOptions: {
          executablePath: process.env.OTTO_CHROMIUM ?? "/usr/bin/chromium",
          args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
    { name: "electron", testMatch: "electron.spec.ts" },
  ],
});
