// Playwright: a Codex surface's prompt answered from the dashboard, in Chromium, with a real `otto-tray serve` and a
// real `otto-tray hook --agent codex` on the PermissionRequest the real Codex CLI sent: the row names Codex and the
// command, Unstick shows the whole command, and Confirm makes the waiting hook print Codex's allow decision; Install
// hooks writes Codex's own config.toml.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { CLI_BIN, FIXTURES, runCli } from "../test-support/cli";
import { freePort } from "../test-support/free-port";
import { makeWorld, type World } from "./world";

const ARTIFACTS = join(import.meta.dirname, "artifacts");

test.describe("a Codex surface's prompt confirmed in the dashboard", () => {
  let world: World;
  let hookPort: number;
  test.beforeAll(async () => {
    // Codex's config lives inside the world (serve's CODEX_HOME), never in this machine's ~/.codex.
    hookPort = await freePort();
    world = await makeWorld({ surfaces: ["otto-cli", { id: "codex-main", agent: "codex" }], actuator: { codexPermissionWaitSeconds: 300 } }, (root) => ({ CODEX_HOME: join(root, "codex"), OTTO_TRAY_HOOK_PORT: String(hookPort) }));
  });
  test.afterAll(async () => {
    await world?.dispose();
  });

  test("Install hooks writes Codex's config.toml (not Claude Code's settings), after a confirmation naming Codex and the file", async ({ page }) => {
    const configFile = join(world.root, "codex", "config.toml");
    await page.goto(world.serve.url);
    await page.getByTestId("setup-checklist").locator("> summary").click();
    const row = page.getByTestId("hooks-codex-main");
    await expect(row).toContainText(`codex-main (Codex, in ${configFile}): not installed`);
    await page.getByTestId("hooks-install-codex-main").click();
    const dialog = page.getByTestId("confirm-dialog");
    await expect(dialog).toContainText("Install Codex hooks for codex-main?");
    await expect(dialog).toContainText(configFile);
    await expect(dialog).toContainText("hook --surface codex-main");
    await expect(dialog).toContainText("--agent codex");
    await expect(dialog).toContainText("Trust all and continue");
    await page.getByTestId("confirm-accept").click();
    await expect(page.getByTestId("action-result")).toContainText(`Hooks for codex-main installed in ${configFile}`);
    await expect(row).toContainText("installed, current");
    expect(readFileSync(configFile, "utf8")).toContain("[[hooks.PermissionRequest]]");
    expect(existsSync(join(world.root, "claude", "settings.json"))).toBe(false);
  });

  test("the Paths panel says who answers the HTTP hooks", async ({ page }) => {
    await page.goto(world.serve.url);
    await page.getByTestId("paths-panel").locator("> summary").click();
    await expect(page.getByTestId("hook-endpoint")).toHaveText(`127.0.0.1:${hookPort}, answered by this Otto Tray`);
  });

  test("the hook waits; Unstick shows the command; Confirm answers allow through the hook", async ({ page }) => {
    expect(runCli(["actuator", "on", "--confirm", "--home", world.home, "--bus-dir", world.bus]).code).toBe(0);
    const recorded = readFileSync(join(FIXTURES, "codex-real", "person-answers", "hooks.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { stdin: Record<string, unknown> }).stdin)
      .find((e) => e.hook_event_name === "PermissionRequest");
    const hook = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "codex-main", "--pid", String(process.pid), "--home", world.home, "--bus-dir", world.bus], { stdio: ["pipe", "pipe", "ignore"] });
    let stdout = "";
    hook.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => hook.on("exit", resolve));
    hook.stdin?.end(JSON.stringify({ ...recorded, cwd: world.repo }));
    try {
      const requests = join(world.home, "actuator", "requests");
      await expect.poll(() => existsSync(requests) && readdirSync(requests).some((f) => f.endsWith(".json"))).toBe(true);
      await page.goto(world.serve.url);
      await expect(page.getByTestId("surface-agent-codex-main")).toHaveText("Codex");
      await expect(page.getByTestId("surface-row-codex-main")).toContainText("echo hi > x.txt");
      await page.getByTestId("unstick-codex-main").click();
      const dialog = page.getByTestId("confirm-dialog");
      await expect(dialog).toBeVisible();
      await expect(page.getByTestId("confirm-command")).toContainText("echo hi > x.txt");
      await page.screenshot({ path: join(ARTIFACTS, "codex-confirm.png") });
      await page.getByTestId("confirm-accept").click();
      expect(await exited).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } });
    } finally {
      if (hook.exitCode === null) hook.kill("SIGTERM");
    }
  });
});
