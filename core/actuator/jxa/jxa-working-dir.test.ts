// "Inside the project" for Claude Desktop's prompts is judged in the surface's own working directory (its hooks'
// heartbeats, else Claude Code's session record), never this process's; unknown, every write is outside.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHeartbeat } from "../../../test-support/bus";
import { FIXTURES, runCli } from "../../../test-support/cli";
import { makeTempDir } from "../../../test-support/temp";
import { prefsSchema } from "../../prefs/schema";
import { readAudit } from "../state/audit-log";
import { turnSwitchOn } from "../state/safety-switch";
import { confirmUnstick, planUnstick } from "../unstick";
import { type SimModel, simulatedRunner } from "./simulated-system-events";

const SURFACE = "otto-desktop";

function desktopPrompt(command: string): SimModel {
  const prompt = [
    { role: "AXHeading", name: "Allow Claude to run a command?" },
    { role: "AXStaticText", value: command },
    { role: "AXButton", name: "Deny" },
    { role: "AXButton", name: "Allow once" },
  ];
  return { accessibility: true, clicks: [], processes: [{ name: "Claude", windows: [{ name: "Claude", children: [{ role: "AXWebArea", children: [{ role: "AXGroup", children: prompt }] }] }] }] };
}

/** A bus, a state directory, Claude Code's config directory and a project; none of them is this process's cwd. */
function setup() {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const claudeConfig = makeTempDir();
  const project = makeTempDir("otto-desktop-project-");
  expect(process.cwd()).not.toBe(project);
  turnSwitchOn(home, true);
  // No `repo` in the preferences: nothing but the surface itself says where it works.
  const ctx = (sim: SimModel) => ({ homeDir: home, busDir: bus, prefs: prefsSchema.parse({}), jxa: simulatedRunner(sim), env: { CLAUDE_CONFIG_DIR: claudeConfig } });
  return { home, bus, claudeConfig, project, ctx };
}

/** Runs the real `otto-tray hook` on a recorded UserPromptSubmit whose cwd is `cwd`, as Claude Code would. */
function hookEvent(t: ReturnType<typeof setup>, cwd: string, sessionId = "desktop-session-1"): void {
  const recorded = readFileSync(join(FIXTURES, "claude-code-real", "walk-hooks.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { stdin: Record<string, unknown> }).stdin)
    .find((e) => e.hook_event_name === "UserPromptSubmit");
  const input = JSON.stringify({ ...recorded, cwd, session_id: sessionId });
  const result = runCli(["hook", "--surface", SURFACE, "--pid", String(process.pid), "--home", t.home, "--bus-dir", t.bus], { input });
  expect(result).toMatchObject({ code: 0, stdout: "" });
}

describe("jxa backend: the surface's working directory", () => {
  it("judges a write against the cwd the surface's hooks report: inside is allowed in manual mode, outside refused", async () => {
    const t = setup();
    hookEvent(t, t.project);

    const inside = desktopPrompt(`touch ${join(t.project, "notes.txt")}`);
    const planned = await planUnstick(t.ctx(inside), SURFACE);
    expect(planned).toMatchObject({ ok: true, plan: { backend: "jxa", target: { projectDir: t.project } } });
    if (!planned.ok) throw new Error(planned.reason);
    expect(readAudit(t.home).at(-1)?.reason).toContain(`working directory ${t.project}, from its heartbeat`);
    expect(await confirmUnstick(t.ctx(inside), planned.plan.planId)).toMatchObject({ ok: true, pressed: "Allow once" });
    expect(inside.clicks).toEqual([{ app: "Claude", window: "Claude", button: "Allow once" }]);

    for (const command of ["touch ../victim.txt", `touch ${join(process.cwd(), "victim.txt")}`]) {
      const outside = desktopPrompt(command);
      const refused = await planUnstick(t.ctx(outside), SURFACE);
      expect(refused).toMatchObject({ ok: false, refusal: "blocked" });
      if (!refused.ok) expect(refused.reason).toMatch(/writes outside the project/);
      expect(outside.clicks).toEqual([]);
    }
  });

  it("takes the cwd from Claude Code's session record when the heartbeat names only the pid", async () => {
    const t = setup();
    // An older hook's heartbeat: the pid of Claude Code (here this live process), no cwd.
    writeHeartbeat(t.bus, SURFACE, { status: "alive", event: "PermissionRequest", pid: process.pid, sessionId: "s1" });
    mkdirSync(join(t.claudeConfig, "sessions"), { mode: 0o700 });
    writeFileSync(join(t.claudeConfig, "sessions", `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: "s1", cwd: t.project, startedAt: Date.now() }));
    const sim = desktopPrompt(`touch ${join(t.project, "notes.txt")}`);
    expect(await planUnstick(t.ctx(sim), SURFACE)).toMatchObject({ ok: true, plan: { target: { projectDir: t.project } } });
  });

  it("with no known working directory every write is outside and refused; a command that writes nothing is still judged", async () => {
    const t = setup();
    const write = desktopPrompt("touch notes.txt");
    const refused = await planUnstick(t.ctx(write), SURFACE);
    expect(refused).toMatchObject({ ok: false, refusal: "blocked" });
    if (!refused.ok) expect(refused.reason).toMatch(/writes outside the project \(notes\.txt\) \(working directory unknown: no heartbeat of otto-desktop on the bus names its working directory\)$/);
    expect(await planUnstick(t.ctx(desktopPrompt("npm test")), SURFACE)).toMatchObject({ ok: true, plan: { target: { projectDir: null } } });

    // A pid whose session record is missing says nothing either.
    writeHeartbeat(t.bus, SURFACE, { status: "alive", event: "PermissionRequest", pid: process.pid, sessionId: "s1" });
    expect(await planUnstick(t.ctx(write), SURFACE)).toMatchObject({ ok: false, refusal: "blocked" });
    expect(write.clicks).toEqual([]);
  });

  it("two sessions of the surface in different directories: which one asks is unknown, so writes are refused", async () => {
    const t = setup();
    hookEvent(t, t.project, "session-a");
    hookEvent(t, makeTempDir(), "session-b");
    const sim = desktopPrompt(`touch ${join(t.project, "notes.txt")}`);
    const refused = await planUnstick(t.ctx(sim), SURFACE);
    expect(refused).toMatchObject({ ok: false, refusal: "blocked" });
    if (!refused.ok) expect(refused.reason).toMatch(/sessions work in different directories/);
  });

  it("refuses to confirm a plan once the surface works somewhere else", async () => {
    const t = setup();
    hookEvent(t, t.project);
    const sim = desktopPrompt("npm test");
    const planned = await planUnstick(t.ctx(sim), SURFACE);
    if (!planned.ok) throw new Error(planned.reason);
    hookEvent(t, makeTempDir());
    expect(await confirmUnstick(t.ctx(sim), planned.plan.planId)).toMatchObject({ ok: false, refusal: "prompt-changed" });
    expect(sim.clicks).toEqual([]);
  });
});
