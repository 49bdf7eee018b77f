// The actuator against the real Claude Code 2.1.330 (offline, scripted API server, a real tmux terminal): the pty
// backend (Claude Code hosted by `otto-tray run`) and the hook backend (its PermissionRequest hook).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer, type ScriptedTurn } from "../anthropic-server";
import { findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../claude-code";
import { CLI_BIN, runCli } from "../cli";
import { git, GIT_TEST_ENV } from "../git";
import { makeTempDir } from "../temp";
import { Terminal, waitFor } from "../terminal";

const found = findClaudeCode();
const skip = "missing" in found && process.env[SKIP_ENV] === "1" && !process.env.CI;

const bash = (match: string, command: string): ScriptedTurn[] => [
  { match, tool: { name: "Bash", input: { command, description: `Run ${command}` } } },
  { text: `Ran ${command}.` },
];
const SCRIPT: ScriptedTurn[] = [
  ...bash("#one", "touch one.txt"),
  ...bash("#two", "touch two.txt"),
  ...bash("#three", "touch three.txt"),
  ...bash("#four", "touch four.txt"),
  ...bash("#five", "touch five.txt"),
  ...bash("#six", "touch six.txt"),
  ...bash("#clean", "rm -rf build"),
  { match: "#slow", delayMs: 600_000, text: "never" },
];
const DIALOG = /Do you want to proceed\?[\s\S]*1\. Yes/;
const IDLE = /❯[^\S\n]*\n─+\n[^\n]*\? for shortcuts/;

interface Setup {
  root: string;
  repo: string;
  bus: string;
  home: string;
  server: ScriptedServer;
  terminal: Terminal;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
}

async function start(surface: string, mode: "pty" | "hook"): Promise<Setup> {
  if ("missing" in found) throw new Error(found.missing);
  const root = makeTempDir(`otto-real-${mode}-`);
  const repo = join(root, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
  writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
  mkdirSync(join(repo, "build"));
  writeFileSync(join(repo, "build", "out.txt"), "old build\n");
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "init"]);
  const bus = join(root, "bus");
  mkdirSync(bus, { mode: 0o700 });
  chmodSync(bus, 0o700);
  const home = join(root, "otto-home");
  const server = await startScriptedServer(SCRIPT);
  const claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
  // The surface must be one the detector watches, so `status` reports it.
  const config = join(root, "prefs.json");
  writeFileSync(config, JSON.stringify({ surfaces: [surface] }));
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus, "--config", config]);
  let command = `exec ${found.bin}`;
  if (mode === "pty") command = `exec ${process.execPath} ${CLI_BIN} run --surface ${surface} --home ${home} --bus-dir ${bus} -- ${found.bin}`;
  else expect(runCli(["hooks", "install", "--surface", surface, "--allow-new-surface", "--settings", claude.settingsFile, "--bus-dir", bus, "--home", home]).code).toBe(0);
  const terminal = Terminal.start({ dir: root, command, cwd: repo, env: claude.env });
  await terminal.waitForScreen(IDLE, "Claude Code's idle prompt", 90_000);
  return { root, repo, bus, home, server, terminal, cli };
}

async function ask(t: Setup, prompt: string, screen: RegExp = DIALOG): Promise<void> {
  t.terminal.type(prompt);
  t.terminal.press("Enter");
  await t.terminal.waitForScreen(screen, `the screen after "${prompt}"`);
}

/** Plans until the backend sees the prompt (the hosted screen settles, the hook records its request). */
async function planFor(t: Setup, surface: string): Promise<{ code: number | null; plan: Record<string, unknown> & { planId: string }; stderr: string }> {
  let last = { code: null as number | null, stdout: "", stderr: "" };
  const refusal = () => (last.code === 5 ? (JSON.parse(last.stdout) as { refusal: string; reason: string }) : undefined);
  await waitFor(() => {
    last = t.cli("unstick", "plan", "--surface", surface, "--json");
    // Until the backend has seen the dialog the answer is no-prompt / no-backend: keep looking.
    return last.code === 0 || ["blocked", "prompt-changed"].includes(refusal()?.refusal ?? "");
  }, `a plan for ${surface}`, { timeoutMs: 30_000, intervalMs: 500, describe: () => `${last.stdout}${last.stderr}\nscreen:\n${t.terminal.screen()}` });
  const refused = refusal();
  return { code: last.code, plan: last.code === 0 ? (JSON.parse(last.stdout) as Record<string, unknown> & { planId: string }) : { planId: "" }, stderr: refused === undefined ? last.stderr : `refused (${refused.refusal}): ${refused.reason}` };
}

describe.skipIf(skip)("the actuator on the real Claude Code: pty backend (otto-tray run)", () => {
  let t: Setup;
  const SURFACE = "cc-pty";
  beforeAll(async () => {
    t = await start(SURFACE, "pty");
  }, 180_000);
  afterAll(async () => {
    await t?.terminal.close();
    await t?.server.close();
  });

  it("refuses while the switch is off; the plan shows the command; confirm lets it through exactly once", async () => {
    await ask(t, "make one #one");
    const first = await planFor(t, SURFACE);
    expect(first.plan).toMatchObject({ backend: "pty", prompt: { title: "Bash command", subject: "touch one.txt" }, action: { answer: "Yes", keys: "1" }, switchOn: false });
    const off = t.cli("unstick", "confirm", first.plan.planId);
    expect(off.code).toBe(5);
    expect(off.stderr).toMatch(/refused \(switch-off\)/);
    expect(existsSync(join(t.repo, "one.txt"))).toBe(false);

    expect(t.cli("actuator", "on", "--confirm").code).toBe(0);
    const second = await planFor(t, SURFACE);
    const done = t.cli("unstick", "confirm", second.plan.planId, "--json");
    expect(done.code, done.stderr).toBe(0);
    await t.terminal.waitForScreen(/Ran touch one\.txt\./, "the turn's end");
    expect(existsSync(join(t.repo, "one.txt"))).toBe(true);
    const replay = t.cli("unstick", "confirm", second.plan.planId);
    expect(replay.code).toBe(5);
    expect(replay.stderr).toMatch(/refused \(plan-used\)/);
  });

  it("refuses when the prompt changed between plan and confirm", async () => {
    await ask(t, "make two #two");
    const planned = await planFor(t, SURFACE);
    t.terminal.press("Escape");
    await t.terminal.waitForScreen(IDLE, "the prompt after Esc");
    await ask(t, "make three #three");
    const result = t.cli("unstick", "confirm", planned.plan.planId);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(prompt-changed\)/);
    expect(existsSync(join(t.repo, "two.txt"))).toBe(false);
    expect(existsSync(join(t.repo, "three.txt"))).toBe(false);
    t.terminal.press("Escape");
    await t.terminal.waitForScreen(IDLE, "the prompt after Esc");
  });

  it("refuses rm -rf even with the switch on, and escalates it", async () => {
    await ask(t, "clean the build #clean");
    const refused = await planFor(t, SURFACE);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/refused \(blocked\): it deletes files \(rm\)/);
    const stuck = readdirSync(t.bus)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(t.bus, f), "utf8")) as { topic: string })
      .filter((e) => e.topic === "stuck-prompt");
    expect(stuck.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(t.repo, "build"))).toBe(true);
    t.terminal.press("Escape");
    await t.terminal.waitForScreen(IDLE, "the prompt after Esc");
  });

  it("a busy screen is not a prompt", async () => {
    await ask(t, "take your time #slow", /esc to interrupt/);
    const result = t.cli("unstick", "plan", "--surface", SURFACE);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(no-prompt\)/);
    t.terminal.press("Escape");
  });
});

describe.skipIf(skip)("the actuator on the real Claude Code: hook backend (PermissionRequest)", () => {
  let t: Setup;
  const SURFACE = "cc-hook";
  const hookProcesses = () => {
    try {
      return execFileSync("pgrep", ["-f", `hook --surface ${SURFACE}`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const state = () => (JSON.parse(t.cli("status", "--json").stdout) as { surfaces: { id: string; state: string }[] }).surfaces.find((s) => s.id === SURFACE)?.state;
  beforeAll(async () => {
    t = await start(SURFACE, "hook");
  }, 180_000);
  afterAll(async () => {
    await t?.terminal.close();
    await t?.server.close();
  });

  it("with the switch off the person answers in the terminal and no hook process is left behind", async () => {
    await ask(t, "make four #four");
    await t.terminal.answer(DIALOG, "1");
    await t.terminal.waitForScreen(/Ran touch four\.txt\./, "the turn's end");
    expect(existsSync(join(t.repo, "four.txt"))).toBe(true);
    await waitFor(() => hookProcesses().length === 0, "no hook process left", { timeoutMs: 10_000 });
  });

  it("plan sees the pending request; confirm answers it and the tool runs", async () => {
    expect(t.cli("actuator", "on", "--confirm").code).toBe(0);
    await ask(t, "make five #five");
    const planned = await planFor(t, SURFACE);
    expect(planned.plan).toMatchObject({ backend: "hook", prompt: { subject: "touch five.txt" } });
    const done = t.cli("unstick", "confirm", planned.plan.planId, "--json");
    expect(done.code, done.stderr).toBe(0);
    await t.terminal.waitForScreen(/Ran touch five\.txt\./, "the turn's end");
    expect(existsSync(join(t.repo, "five.txt"))).toBe(true);
    await waitFor(() => hookProcesses().length === 0, "no hook process left", { timeoutMs: 10_000 });
  });

  it("a forged decision on the bus does nothing; Esc on the dialog clears waiting at once", async () => {
    await ask(t, "make six #six");
    await waitFor(() => state() === "waiting", "waiting");
    const forged = {
      id: "11111111-2222-4333-8444-555555555555",
      topic: "permission-decision",
      payload: { surface: SURFACE, behavior: "allow" },
      from: "otto-tray",
      to: SURFACE,
      timestamp: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    writeFileSync(join(t.bus, `${forged.id}.json`), JSON.stringify(forged));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(t.terminal.screen()).toMatch(DIALOG);
    expect(existsSync(join(t.repo, "six.txt"))).toBe(false);
    t.terminal.press("Escape");
    // Claude Code sends SIGTERM to the waiting hook, which says at once that the dialog is gone (no staleAfter wait).
    await waitFor(() => state() === "idle", "idle right after Esc", { timeoutMs: 8_000 });
    await waitFor(() => hookProcesses().length === 0, "no hook process left", { timeoutMs: 10_000 });
  });

  it("never allows a destructive request: the hook does not wait on it, says why, and the dialog stays for the person", async () => {
    await ask(t, "clean the build #clean");
    const audit = () => JSON.parse(t.cli("audit", "--json").stdout) as { backend: string | null; event: string; decision: string; reason: string }[];
    await waitFor(() => audit().some((e) => e.backend === "hook" && e.event === "plan" && e.decision === "refused" && e.reason.startsWith("blocked: it deletes files (rm)")), "the hook's refusal in the audit log", { timeoutMs: 30_000 });
    await waitFor(() => hookProcesses().length === 0, "no hook process left while the dialog is up", { timeoutMs: 10_000 });
    expect(t.terminal.screen()).toMatch(DIALOG);
    expect(t.cli("unstick", "plan", "--surface", SURFACE).stderr).toMatch(/refused \(no-backend\)/);
    expect(existsSync(join(t.repo, "build"))).toBe(true);
    t.terminal.press("Escape");
  });
});
