// Playwright: a Codex surface's prompt answered from the dashboard, in Chromium, with a real `otto-tray serve` and a
// real `otto-tray hook --agent codex` on the PermissionRequest the real Codex CLI sent: the row names Codex and the
// command, Unstick shows the whole command, and Confirm makes the waiting hook print Codex's allow decision.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { CLI_BIN, FIXTURES, runCli } from "../test-support/cli";
import { makeWorld, type World } from "./world";

const ARTIFACTS = join(import.meta.dirname, "artifacts");

test.describe("a Codex surface's prompt confirmed in the dashboard", () => {
  let world: World;
  test.beforeAll(async () => {
    world = await makeWorld({ surfaces: ["otto-cli", { id: "codex-main", agent: "codex" }], actuator: { codexPermissionWaitSeconds: 300 } });
  });
  test.afterAll(async () => {
    await world?.dispose();
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
