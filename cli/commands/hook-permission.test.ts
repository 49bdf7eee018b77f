// The hook backend through the built CLI: `otto-tray hook` on a recorded PermissionRequest waits for a confirmed
// plan and prints the allow decision; it does not wait with the switch off, and ends at once on SIGTERM (Esc).
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, runCli } from "../../test-support/cli";
import { eventually } from "../../test-support/hosted-session";
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

  it("never allows the recorded rm -rf: no plan, and the hook prints nothing when its wait ends", async () => {
    const t = setup();
    t.cli("actuator", "on", "--confirm");
    const config = join(t.home, "prefs.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(config, JSON.stringify({ actuator: { permissionWaitSeconds: 2 } }));
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--home", t.home, "--bus-dir", t.bus, "--config", config], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stdin.end(permissionRequest(t.project));
    await eventually(() => readdirSync(join(t.home, "actuator")).includes("requests"), "the pending request");
    const refused = runCli(["unstick", "plan", "--surface", "otto-cli", "--home", t.home, "--bus-dir", t.bus, "--config", config]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/refused \(blocked\): it deletes files \(rm\)/);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toBe("");
  });
});
