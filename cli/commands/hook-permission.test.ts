// The hook backend through the built CLI: `otto-tray hook` on a recorded PermissionRequest waits for a confirmed
// plan and prints the allow decision; it does not wait with the switch off, nor on a request the policy refuses
// (and says why), and ends at once on SIGTERM (Esc).
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, runCli } from "../../test-support/cli";
import { eventually } from "../../test-support/hosted-session";
import { http, startServe, stopAllServes } from "../../test-support/serve";
import { makeTempDir } from "../../test-support/temp";

/** A real PermissionRequest stdin recorded from Claude Code 2.1.330 (the one for `recorded`), with cwd set to `project`. */
function permissionRequest(project: string, command?: string, recorded = "rm -rf build"): string {
  const lines = readFileSync(join(FIXTURES, "claude-code-real", "walk-hooks.jsonl"), "utf8").trim().split("\n");
  const event = lines
    .map((l) => JSON.parse(l) as { stdin: Record<string, unknown> })
    .find((l) => l.stdin.hook_event_name === "PermissionRequest" && (l.stdin.tool_input as { command?: string }).command === recorded);
  if (event === undefined) throw new Error("no PermissionRequest recorded");
  const stdin: Record<string, unknown> = { ...event.stdin, cwd: project };
  if (command !== undefined) stdin.tool_input = { ...(stdin.tool_input as object), command };
  return JSON.stringify(stdin);
}

function setup() {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const project = makeTempDir();
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus]);
  /** Starts the hook as Claude Code does: the event on stdin, stdout collected. */
  const hook = (input: string) => {
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stdin.end(input);
    const exited = new Promise<{ code: number | null; stdout: string; ms: number }>((resolve) => {
      const started = Date.now();
      child.on("exit", (code) => resolve({ code, stdout, ms: Date.now() - started }));
    });
    return { child, exited };
  };
  return { home, bus, project, cli, hook };
}

afterAll(stopAllServes);

const pendingPlan = async (t: ReturnType<typeof setup>) => {
  let planned = t.cli("unstick", "plan", "--surface", "otto-cli", "--json");
  await eventually(() => {
    planned = t.cli("unstick", "plan", "--surface", "otto-cli", "--json");
    return planned.code === 0;
  }, "the pending request to be planned");
  return JSON.parse(planned.stdout) as { planId: string; backend: string; prompt: { subject: string } };
};

describe("otto-tray hook on PermissionRequest (hook backend)", () => {
  it("with the switch off: publishes waiting and ends at once, printing nothing", async () => {
    const t = setup();
    const result = await t.hook(permissionRequest(t.project, "npm test")).exited;
    expect(result).toMatchObject({ code: 0, stdout: "" });
    const status = JSON.parse(t.cli("status", "--json").stdout) as { surfaces: { id: string; state: string }[] };
    expect(status.surfaces.find((s) => s.id === "otto-cli")?.state).toBe("waiting");
  });

  it("waits for a confirmed plan and prints the allow decision once", async () => {
    const t = setup();
    t.cli("actuator", "on", "--confirm");
    const running = t.hook(permissionRequest(t.project, "npm test"));
    const plan = await pendingPlan(t);
    expect(plan).toMatchObject({ backend: "hook", prompt: { subject: "npm test" } });
    const confirmed = t.cli("unstick", "confirm", plan.planId, "--json");
    expect(confirmed.code).toBe(0);
    const result = await running.exited;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } });
  });

  it("ends at once on SIGTERM (Esc on the dialog), prints nothing, and the surface leaves waiting", async () => {
    const t = setup();
    t.cli("actuator", "on", "--confirm");
    const running = t.hook(permissionRequest(t.project, "npm test"));
    await pendingPlan(t);
    running.child.kill("SIGTERM");
    const result = await running.exited;
    expect(result).toMatchObject({ code: 0, stdout: "" });
    const status = JSON.parse(t.cli("status", "--json").stdout) as { surfaces: { id: string; state: string; note: string | null }[] };
    expect(status.surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ state: "idle", note: "the person dismissed the permission dialog (Esc)" });
  });

  it.each([
    ["rm -rf ../victim", "blocked", "it deletes files (rm)"],
    ["echo $(whoami)", "unjudgeable", "$("],
  ])("does not wait on %j, which the policy refuses: exits at once printing nothing, and the log, the audit and the snapshot say why", async (command, refusal, why) => {
    const t = setup();
    t.cli("actuator", "on", "--confirm");
    // No preferences: the default wait (600 s), far past the test's time; only a hook that does not wait finishes.
    const result = await t.hook(permissionRequest(t.project, command)).exited;
    expect(result).toMatchObject({ code: 0, stdout: "" });
    const said = `${refusal}: `;
    const log = readFileSync(join(t.home, "logs", "hook.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { level: string; message: string; event?: string });
    const line = log.find((l) => l.level === "info" && l.event === "PermissionRequest");
    expect(line?.message).toContain(`not waiting for a plan for Bash: ${said}`);
    expect(line?.message).toContain(why);
    expect(line?.message).toMatch(/Claude Code's own dialog is left for the person$/);
    // Nothing is left to plan from: the person answers Claude Code's dialog.
    expect(t.cli("unstick", "plan", "--surface", "otto-cli").stderr).toMatch(/refused \(no-backend\)/);
    // What the popover's "Recent actions" shows: the served snapshot's audit entries.
    const serve = await startServe(["--home", t.home, "--bus-dir", t.bus], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" });
    try {
      const snapshot = (await http(serve.port, "GET", "/api/snapshot", { Authorization: `Bearer ${serve.token}` })).json() as { audit: { surface: string | null; backend: string | null; event: string; decision: string; reason: string }[] };
      const entry = snapshot.audit.find((e) => e.backend === "hook" && e.event === "plan");
      expect(entry).toMatchObject({ surface: "otto-cli", decision: "refused" });
      expect(entry?.reason.startsWith(said)).toBe(true);
      expect(entry?.reason).toContain(why);
      expect(entry?.reason).toMatch(/not waited on, Claude Code's own dialog is left for the person$/);
    } finally {
      await serve.stop();
    }
    const envelopes = readdirSync(t.bus).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(t.bus, f), "utf8")) as { topic: string; payload: { surface?: string } });
    expect(envelopes.filter((e) => e.topic === "stuck-prompt").map((e) => e.payload.surface)).toEqual(["otto-cli"]);
  });
});
