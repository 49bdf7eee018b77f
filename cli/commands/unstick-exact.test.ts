// What the person confirms is exactly what runs (issue 14, section 3): `unstick plan` shows the whole command with its
// invisible characters made visible, and a plan whose prompt, working directory or target no longer matches is
// refused at confirm time, for the hook backend (the real `otto-tray hook`) and the pty backend (a real hosted child).
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sessionRecordPath } from "../../core/actuator/pty/session-paths";
import { CLI_BIN, runCli } from "../../test-support/cli";
import { answersOf as answers, eventually, hasPrompt, hostStandIn as host } from "../../test-support/hosted-session";
import { makeTempDir } from "../../test-support/temp";

const hooks: ChildProcess[] = [];
afterEach(() => {
  for (const child of hooks.splice(0)) if (child.exitCode === null) child.kill("SIGTERM");
});

/** A home and a bus with the switch on, and the real hook waiting on a PermissionRequest for `command` in `project`. */
function hookWaiting(command: string, description?: string) {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const project = makeTempDir();
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus]);
  expect(cli("actuator", "on", "--confirm").code).toBe(0);
  const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { stdio: ["pipe", "pipe", "ignore"] });
  hooks.push(child);
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stdin?.end(JSON.stringify({ hook_event_name: "PermissionRequest", session_id: "s-exact", tool_name: "Bash", tool_input: { command, ...(description === undefined ? {} : { description }) }, cwd: project }));
  const requests = join(home, "actuator", "requests");
  const pending = async () => {
    await eventually(() => {
      try {
        return readdirSync(requests).some((f) => f.endsWith(".json"));
      } catch {
        return false;
      }
    }, "the hook's pending request");
    const file = join(requests, readdirSync(requests).find((f) => f.endsWith(".json")) ?? "");
    return { file, request: JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> & { toolInput: Record<string, unknown>; cwd: string } };
  };
  return { home, bus, project, cli, child, pending, stdout: () => stdout };
}

describe("unstick plan shows the whole command", () => {
  // A command holding an ESC or a bidi override is refused by the policy before any plan (it is unjudgeable); what
  // reaches a confirmation can still hold a tab, and literal text that looks like a token, which must not pass for one.
  it("prints every line of a 40-line, 5,000-character command, numbered, a tab as ␉ and token look-alikes escaped", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `echo 'line ${i} ${"x".repeat(115)}${i === 4 ? "\t<U+202E>" : ""}${i === 12 ? " ␛[8m" : ""}'`);
    const command = lines.join("\n");
    expect(command.length).toBeGreaterThan(5000);
    const t = hookWaiting(command);
    await t.pending();
    const planned = t.cli("unstick", "plan", "--surface", "otto-cli");
    expect(planned.stderr).toBe("");
    expect(planned.code).toBe(0);
    const out = planned.stdout;
    expect(out).toContain(`  Prompt: Bash command (40 lines, ${command.length} characters, shown whole; WARNING: 3 characters are shown as marks`);
    for (let i = 0; i < 40; i++) expect(out).toContain(`${String(i + 1).padStart(2)} │ echo 'line ${i} ${"x".repeat(115)}`);
    expect(out).toContain(` 5 │ echo 'line 4 ${"x".repeat(115)}␉<U+003C>U+202E>'\n`);
    expect(out).toContain(`13 │ echo 'line 12 ${"x".repeat(115)} <U+241B>[8m'\n`);
    expect(out).toContain(`40 │ echo 'line 39 ${"x".repeat(115)}'\n`);
    // In the command's lines, no raw tab and no literal control picture: each is a token.
    const commandLines = out.split("\n").filter((line) => /^ +\d+ │ /.test(line));
    expect(commandLines).toHaveLength(40);
    expect(commandLines.join("\n")).not.toMatch(/[\t\u241b]/);
  });
});

describe("hook backend: a plan that no longer matches what would run is refused", () => {
  it("refuses when the planned prompt differs by one zero-width space from the request the hook answers", async () => {
    // The command's description is part of the prompt Claude Code shows; the policy does not judge it, the plan must.
    const t = hookWaiting("npm test", "Run the tests");
    const { file, request } = await t.pending();
    writeFileSync(file, JSON.stringify({ ...request, toolInput: { ...request.toolInput, description: "Run the tests\u200b" } }));
    const planned = t.cli("unstick", "plan", "--surface", "otto-cli", "--json");
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as { planId: string };
    const confirmed = t.cli("unstick", "confirm", plan.planId);
    expect(confirmed.code).toBe(5);
    expect(confirmed.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(t.stdout()).toBe("");
  });

  it("refuses when the plan was judged for another working directory than the one the command runs in", async () => {
    const t = hookWaiting("npm test");
    const { file, request } = await t.pending();
    writeFileSync(file, JSON.stringify({ ...request, cwd: makeTempDir() }));
    const plan = JSON.parse(t.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string };
    const confirmed = t.cli("unstick", "confirm", plan.planId);
    expect(confirmed.code).toBe(5);
    expect(confirmed.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(t.stdout()).toBe("");
  });
});

describe("pty backend: a plan that no longer matches what would run is refused", () => {
  it("refuses when the command on screen changed by one zero-width space after the plan was made", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test", STANDIN_COMMAND_2: "npm test\u200b" }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const plan = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string };
    const stand = JSON.parse(s.cli("sessions", "--json").stdout) as { pid: number }[];
    process.kill(stand[0]?.pid ?? 0, "SIGUSR1");
    await eventually(() => (JSON.parse(s.cli("sessions", "--json").stdout) as { prompt: { subject: string } }[])[0]?.prompt.subject === "npm test\u200b", "the changed prompt");
    const result = s.cli("unstick", "confirm", plan.planId);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(answers(s.log)).toEqual([]);
  });

  it("refuses when the plan was judged for another working directory than the hosted session's", async () => {
    const s = await host({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, hasPrompt);
    s.cli("actuator", "on", "--confirm");
    const recordFile = sessionRecordPath(s.home, "otto-cli");
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as { cwd: string };
    writeFileSync(recordFile, JSON.stringify({ ...record, cwd: makeTempDir() }));
    const plan = JSON.parse(s.cli("unstick", "plan", "--surface", "otto-cli", "--json").stdout) as { planId: string };
    const result = s.cli("unstick", "confirm", plan.planId);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(answers(s.log)).toEqual([]);
  });
});
