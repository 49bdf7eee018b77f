// `otto-tray hook --agent` through the built CLI on events the real Codex and Gemini CLIs sent: the heartbeat of each
// agent's own map, and with the safety switch on, no wait when Codex's is set to 0 (hook-codex-wait.test.ts covers the
// wait) and no answer (Gemini's hooks cannot answer).
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heartbeatsFrom } from "../../test-support/bus";
import { FIXTURES, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function world() {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const hook = (agent: string | undefined, stdin: string, surface = "agent-x") =>
    runCli(["hook", "--surface", surface, "--pid", String(process.pid), ...(agent === undefined ? [] : ["--agent", agent]), "--home", home, "--bus-dir", bus], { input: stdin, timeoutMs: 30_000 });
  return { home, bus, hook };
}

const codexEvents = readFileSync(join(FIXTURES, "codex-real", "person-answers", "hooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { stdin: { hook_event_name: string } }).stdin);
const geminiNotification = readFileSync(join(FIXTURES, "gemini-real", "events", "15-Notification.json"), "utf8");

describe("otto-tray hook --agent", () => {
  it("Gemini's dialog: a waiting heartbeat naming the command, and no answer even with the switch on", () => {
    const w = world();
    expect(runCli(["actuator", "on", "--confirm", "--home", w.home, "--bus-dir", w.bus]).code).toBe(0);
    const result = w.hook("gemini", geminiNotification);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(heartbeatsFrom(w.bus, "agent-x")).toEqual([expect.objectContaining({ status: "alive", waiting: "permission for shell: touch made-by-gemini.txt", event: "Notification" })]);
  });

  it("Codex's PermissionRequest: waiting naming the command, and not awaited with the switch on when codexPermissionWaitSeconds is 0", () => {
    const w = world();
    writeFileSync(join(w.home, "preferences.json"), JSON.stringify({ surfaces: ["agent-x"], actuator: { codexPermissionWaitSeconds: 0 } }));
    expect(runCli(["actuator", "on", "--confirm", "--home", w.home, "--bus-dir", w.bus]).code).toBe(0);
    const permission = codexEvents.find((e) => e.hook_event_name === "PermissionRequest");
    const result = w.hook("codex", JSON.stringify(permission));
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(heartbeatsFrom(w.bus, "agent-x")).toEqual([expect.objectContaining({ status: "alive", waiting: "permission for Bash: echo hi > x.txt" })]);
    expect(readFileSync(join(w.home, "logs", "hook.log"), "utf8")).toContain("Codex PermissionRequest not awaited (actuator.codexPermissionWaitSeconds is 0)");
  });

  it("takes the surface's agent from the preferences without --agent, and logs a bad --agent", () => {
    const w = world();
    writeFileSync(join(w.home, "preferences.json"), JSON.stringify({ surfaces: [{ id: "gem", agent: "gemini" }] }));
    expect(w.hook(undefined, geminiNotification, "gem").code).toBe(0);
    expect(heartbeatsFrom(w.bus, "gem")).toEqual([expect.objectContaining({ waiting: "permission for shell: touch made-by-gemini.txt" })]);
    expect(w.hook("copilot", geminiNotification, "gem").code).toBe(0);
    const logged = readFileSync(join(w.home, "logs", "hook.log"), "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { message: string }).message);
    expect(logged).toContain('--agent: "copilot" is not one of claude-code, codex, gemini; using the preferences\' agent');
    expect(heartbeatsFrom(w.bus, "gem")).toHaveLength(2);
  });

  it("Codex's Stop: idle, brief when its last reply is short", () => {
    const w = world();
    const stop = codexEvents.find((e) => e.hook_event_name === "Stop");
    expect(w.hook("codex", JSON.stringify(stop)).code).toBe(0);
    expect(heartbeatsFrom(w.bus, "agent-x")).toEqual([expect.objectContaining({ status: "idle", event: "Stop", briefAck: true })]);
  });
});
