// The pty backend end to end through the built CLI: `otto-tray run` hosting the stand-in agent, `unstick plan` and
// `confirm`, the safety switch, single use, a changed prompt (before confirm and between keys), a blocked command, a
// busy screen, and the audit log.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../test-support/cli";
import { answersOf as answers, eventually, hasPrompt, hostStandIn as host } from "../../test-support/hosted-session";
import { makeTempDir } from "../../test-support/temp";

describe("unstick through a hosted session (pty backend)", () => {
  it("plans the single-use Yes, refuses while the switch is off, then answers exactly once", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, hasPrompt);
    const planned = s.cli("unstick", "plan", "--surface", "otto-cli", "--json");
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as { planId: string; backend: string; prompt: { subject: string; title: string }; action: { answer: string; keys: string }; switchOn: boolean };
    expect(plan).toMatchObject({ backend: "pty", prompt: { title: "Bash command", subject: "npm test" }, action: { answer: "Yes", keys: "1" }, switchOn: false });

    const off = s.cli("unstick", "confirm", plan.planId);
    expect(off.code).toBe(5);
    expect(off.stderr).toMatch(/refused \(switch-off\)/);
    expect(answers(s.log)).toEqual([]);

    expect(s.cli("actuator", "on").code).toBe(5);
    expect(s.cli("actuator", "on", "--confirm").code).toBe(0);
    const fresh = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string };
    const done = s.cli("unstick", "confirm", fresh.planId, "--json");
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, pressed: "Yes" });
    await eventually(() => answers(s.log).length === 1, "the stand-in to log its answer");
    expect(answers(s.log)).toEqual(["allowed npm test"]);

    const replay = s.cli("unstick", "confirm", fresh.planId);
    expect(replay.code).toBe(5);
    expect(replay.stderr).toMatch(/refused \(plan-used\)/);
    expect(answers(s.log)).toEqual(["allowed npm test"]);

    const audit = JSON.parse(s.cli("audit", "--json").stdout) as { event: string; decision: string; reason: string }[];
    expect(audit.map((e) => `${e.event}:${e.decision}`)).toEqual(["plan:info", "confirm:refused", "switch-on:info", "plan:info", "act:done", "confirm:refused"]);
  });

  it("refuses when the prompt changed between plan and confirm", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test", STANDIN_COMMAND_2: "npm run lint" }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const plan = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string };
    const stand = JSON.parse(s.cli("sessions", "--json").stdout) as { pid: number }[];
    process.kill(stand[0]?.pid ?? 0, "SIGUSR1");
    await eventually(() => (JSON.parse(s.cli("sessions", "--json").stdout) as { prompt: { subject: string } }[])[0]?.prompt.subject === "npm run lint", "the new prompt");
    const result = s.cli("unstick", "confirm", plan.planId);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(answers(s.log)).toEqual([]);
  });

  it("never answers a destructive command, even with the switch on, and escalates it", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "rm -rf build" }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const result = s.cli("unstick", "plan", "--surface", "otto-cli");
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(blocked\): it deletes files \(rm\)/);
    const envelopes = readdirSync(s.bus).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(s.bus, f), "utf8")) as { topic: string; payload: { surface?: string } });
    expect(envelopes.filter((e) => e.topic === "stuck-prompt").map((e) => e.payload.surface)).toEqual(["otto-cli"]);
    expect(answers(s.log)).toEqual([]);
  });

  it("a busy screen is not a prompt", async () => {
    const s = await host({ STANDIN_MODE: "busy" }, () => true);
    s.cli("actuator", "on", "--confirm");
    await new Promise((resolve) => setTimeout(resolve, 600));
    const result = s.cli("unstick", "plan", "--surface", "otto-cli");
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(no-prompt\)/);
  });

  it("answers Yes by its label where No comes first and there are no numbers: Down, check, Enter", async () => {
    const s = await host({ STANDIN_MODE: "no-first", STANDIN_COMMAND: "npm test" }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const plan = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string; action: { answer: string; keys: string } };
    expect(plan.action).toEqual({ answer: "Yes", keys: "↓↵" });
    const confirmed = s.cli("unstick", "confirm", plan.planId);
    expect(confirmed.stderr).toBe("");
    expect(confirmed.code).toBe(0);
    await eventually(() => answers(s.log).length === 1, "the stand-in to log its answer");
    expect(answers(s.log)).toEqual(["allowed npm test"]);
  });

  it.each([
    ["no-first", "↓↵"],
    ["no-first-far", "↓↓↵"],
  ])("%s: a prompt that changes after the first arrow key gets no further key, Enter is never pressed, and it is escalated", async (mode, planned) => {
    const keysLog = join(makeTempDir(), "keys.log");
    const s = await host({ STANDIN_MODE: mode, STANDIN_COMMAND: "npm test", STANDIN_COMMAND_2: "rm -rf ../victim", STANDIN_CHANGE_ON_ARROW: "1", STANDIN_KEYS: keysLog }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const plan = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string; action: { answer: string; keys: string } };
    expect(plan.action).toEqual({ answer: "Yes", keys: planned });
    const confirmed = s.cli("unstick", "confirm", plan.planId, "--json");
    expect(confirmed.code).toBe(5);
    const result = JSON.parse(confirmed.stdout) as { ok: boolean; refusal: string; reason: string };
    expect(result).toMatchObject({ ok: false, refusal: "prompt-changed" });
    expect(result.reason).toMatch(/^the prompt on screen changed before [↓↵] \(↓ was pressed before\); nothing more was pressed$/);
    // Exactly one arrow reached the dialog: the check before the next key saw the new command.
    expect(readFileSync(keysLog, "utf8").trim().split("\n")).toEqual(["down"]);
    expect(answers(s.log)).toEqual([]);
    const audit = JSON.parse(s.cli("audit", "--json").stdout) as { event: string; decision: string; reason: string }[];
    expect(audit.at(-1)).toMatchObject({ event: "act", decision: "refused", reason: `prompt-changed: ${result.reason}` });
    const envelopes = readdirSync(s.bus).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(s.bus, f), "utf8")) as { topic: string; payload: { surface?: string } });
    expect(envelopes.filter((e) => e.topic === "stuck-prompt").map((e) => e.payload.surface)).toEqual(["otto-cli"]);
  });

  it("publishes the prompt as waiting, and offline with the exit code when the program ends", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, hasPrompt);
    await eventually(() => {
      const status = JSON.parse(s.cli("status", "--json").stdout) as { surfaces: { id: string; state: string; waiting: string | null }[] };
      return status.surfaces.find((x) => x.id === "otto-cli")?.waiting === "Bash command: npm test";
    }, "the waiting heartbeat");
    s.host.stdin?.write("q");
    const code = await new Promise<number | null>((resolve) => s.host.on("exit", resolve));
    expect(code).toBe(0);
    expect(runCli(["sessions", "--json", "--home", s.home]).stdout.trim()).toBe("[]");
  });
});

describe("otto-tray run exit codes", () => {
  it("returns CMD's exit code, 127 when CMD is not found and 126 when it cannot be executed", () => {
    const home = makeTempDir();
    const common = ["--surface", "otto-cli", "--home", home, "--bus-dir", join(home, "bus")];
    expect(runCli(["run", ...common, "--", "sh", "-c", "exit 3"]).code).toBe(3);
    const missing = runCli(["run", ...common, "--", "no-such-command-otto"]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/no-such-command-otto: command not found/);
    const notExecutable = runCli(["run", ...common, "--", join(REPO_ROOT, "package.json")]);
    expect(notExecutable.code).toBe(126);
    expect(runCli(["run", "--surface", "otto-cli"]).code).toBe(2);
  });
});
