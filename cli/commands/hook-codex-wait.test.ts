// A Codex surface's PermissionRequest hook through the built CLI, on the event the real Codex CLI sent: it waits for a
// confirmed plan within codexPermissionWaitSeconds (Codex's dialog comes only once it returns), ends on its own at that
// bound leaving the surface waiting, and Codex ending it (its own timeout) is not read as a dismissal.
import { spawn } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heartbeatsFrom } from "../../test-support/bus";
import { CLI_BIN, FIXTURES, runCli } from "../../test-support/cli";
import { eventually } from "../../test-support/hosted-session";
import { makeTempDir } from "../../test-support/temp";

const SURFACE = "codex-main";

/** Codex 0.171.0's recorded PermissionRequest (`echo hi > x.txt`), with cwd set to `project`. */
function codexPermissionRequest(project: string): string {
  const event = readFileSync(join(FIXTURES, "codex-real", "person-answers", "hooks.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { stdin: Record<string, unknown> }).stdin)
    .find((e) => e.hook_event_name === "PermissionRequest");
  if (event === undefined) throw new Error("no PermissionRequest recorded");
  return JSON.stringify({ ...event, cwd: project });
}

function setup(waitSeconds: number) {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const project = makeTempDir();
  writeFileSync(join(home, "preferences.json"), JSON.stringify({ surfaces: [{ id: SURFACE, agent: "codex" }], actuator: { codexPermissionWaitSeconds: waitSeconds } }));
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus]);
  expect(cli("actuator", "on", "--confirm").code).toBe(0);
  /** Starts the hook as Codex does (its command has `--agent codex`): the event on stdin, stdout collected. */
  const hook = () => {
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", SURFACE, "--pid", String(process.pid), "--agent", "codex", "--home", home, "--bus-dir", bus], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stdin.end(codexPermissionRequest(project));
    const exited = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on("exit", (code) => resolve({ code, stdout })));
    return { child, exited };
  };
  const plan = async () => {
    let planned = cli("unstick", "plan", "--surface", SURFACE, "--json");
    await eventually(() => (planned = cli("unstick", "plan", "--surface", SURFACE, "--json")).code === 0, "the pending Codex request to be planned");
    return JSON.parse(planned.stdout) as { planId: string; backend: string; prompt: { subject: string } };
  };
  const surface = () => (JSON.parse(cli("status", "--json").stdout) as { surfaces: { id: string; state: string; waiting: string | null }[] }).surfaces.find((s) => s.id === SURFACE);
  return { home, bus, cli, hook, plan, surface };
}

describe("otto-tray hook --agent codex on PermissionRequest", () => {
  it("waits for a confirmed plan and prints Codex's allow decision", async () => {
    const t = setup(120);
    const running = t.hook();
    const planned = await t.plan();
    expect(planned).toMatchObject({ backend: "hook", prompt: { subject: "echo hi > x.txt" } });
    const confirmed = t.cli("unstick", "confirm", planned.planId, "--json");
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const result = await running.exited;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } });
  });

  it("ends on its own at codexPermissionWaitSeconds, answering nothing: the surface stays waiting for Codex's dialog", async () => {
    const t = setup(1);
    const result = await t.hook().exited;
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(t.surface()).toMatchObject({ state: "waiting", waiting: "permission for Bash: echo hi > x.txt" });
    const none = t.cli("unstick", "plan", "--surface", SURFACE, "--json");
    expect(none.code).toBe(5);
    expect(JSON.parse(none.stdout)).toMatchObject({ refusal: "no-backend" });
    expect(none.stdout).toContain("it waits 1 s for a plan, actuator.codexPermissionWaitSeconds");
  });

  it("ended by Codex (its hook timeout): prints nothing and does not say the dialog was dismissed", async () => {
    const t = setup(120);
    const running = t.hook();
    await t.plan();
    running.child.kill("SIGTERM");
    expect(await running.exited).toMatchObject({ code: 0, stdout: "" });
    // Codex shows its dialog next: the surface is still waiting, not idle as after an Esc in Claude Code.
    expect(heartbeatsFrom(t.bus, SURFACE).map((h) => h.event)).toEqual(["PermissionRequest"]);
    expect(t.surface()).toMatchObject({ state: "waiting" });
  });
});
