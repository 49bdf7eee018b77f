// The pty backend on the real Gemini CLI 0.61.0: hosted by the built `otto-tray run` in tmux (offline, scripted
// server), its Shell dialog read from the screen, a confirmed plan answering "Allow once", a blocked command escalated.
// OTTO_TRAY_RECORD_GEMINI_PTY=1 saves the hosted screens to fixtures/gemini-real/screens/hosted-*.txt.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestControl } from "../../core/actuator/pty/control-socket";
import { listSessionRecords } from "../../core/actuator/pty/session-paths";
import { agentWorld } from "../agent-world";
import { CLI_BIN, REPO_ROOT, type runCli } from "../cli";
import { findGemini, GEMINI_MODEL, GEMINI_SKIP_ENV, prepareGeminiHome } from "../gemini";
import { startGeminiServer, type GeminiServer, type GeminiTurn } from "../gemini-server";
import { git } from "../git";
import { Terminal, waitFor } from "../terminal";

const found = findGemini();
const skip = "missing" in found && process.env[GEMINI_SKIP_ENV] === "1" && !process.env.CI;
const RECORD = process.env.OTTO_TRAY_RECORD_GEMINI_PTY === "1";
const SCREENS = join(REPO_ROOT, "test-support", "fixtures", "gemini-real", "screens");
const SURFACE = "gem-main";

// A line longer than the dialog's command box (and than the 150 characters up to which the title shows the command).
const WRAPPED = `echo ${Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ")} > long.txt`;
const MULTI_LINE = "echo one > multi.txt\necho two >> multi.txt\n  echo three >> multi.txt";
const call = (match: string, command: string, description: string, after: string): GeminiTurn[] => [
  { match, call: { name: "run_shell_command", args: { command, description } } },
  { text: after },
];
// A prompt sent after a rejected dialog carries the rejected turn's text too, and the server answers the first turn
// that matches: the turns asked later come first.
const SCRIPT: GeminiTurn[] = [
  { match: "#slow", delayMs: 600_000, text: "never" },
  ...call("#wrapped", WRAPPED, "write a long line", "Wrote it."),
  ...call("#multi", MULTI_LINE, "write three lines", "Wrote them."),
  ...call("#clean", "rm -rf build", "remove the build", "Removed."),
  ...call("#touch", "touch made.txt", "make a file", "Made the file."),
];
const DIALOG = /Allow execution of \[Shell\]\?[\s\S]*● 1\. Allow once/;
const INPUT_BOX = / > {3}Type your message or @path\/to\/file/;

interface Setup {
  root: string;
  repo: string;
  otto: string;
  bus: string;
  server: GeminiServer;
  terminal: Terminal;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
}

async function start(): Promise<Setup> {
  if ("missing" in found) throw new Error(found.missing);
  const w = agentWorld("gem-pty", SURFACE, "gemini");
  const { root, repo, otto, bus } = w;
  mkdirSync(join(repo, "build"));
  writeFileSync(join(repo, "build", "out.txt"), "old build\n");
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "build"]);
  const cli = (...args: string[]) => w.cli(args);
  const server = await startGeminiServer(SCRIPT);
  const gemini = prepareGeminiHome({ root, cwd: repo, baseUrl: server.url });
  const command = `exec '${process.execPath}' '${CLI_BIN}' run --surface ${SURFACE} --home '${otto}' --bus-dir '${bus}' -- '${process.execPath}' '${found.bin}' -m ${GEMINI_MODEL}`;
  const terminal = Terminal.start({ dir: root, command, cwd: repo, env: gemini.env });
  await terminal.waitForScreen(INPUT_BOX, "Gemini CLI's input box", 120_000);
  return { root, repo, otto, bus, server, terminal, cli };
}

/** Types a prompt and presses Enter until the dialog (or `screen`) shows: an Enter right after typed text is sometimes dropped. */
async function ask(t: Setup, prompt: string, screen: RegExp = DIALOG): Promise<void> {
  t.terminal.type(prompt);
  await t.terminal.waitForScreen(new RegExp(` > ${prompt}\\n`), "the typed prompt");
  const inBox = new RegExp(`\\n > ${prompt}\\n(\\s*\\n)* workspace`);
  await waitFor(
    () => {
      const now = t.terminal.screen();
      if (screen.test(now)) return true;
      // Only while the prompt is still in the input box (above the footer), not once it is in the history.
      if (inBox.test(now)) t.terminal.press("Enter");
      return undefined;
    },
    `the screen after "${prompt}"`,
    { timeoutMs: 90_000, intervalMs: 1000, describe: () => t.terminal.screen() },
  );
}

/** The hosted session's own screen (what the reader reads), through its control socket. */
async function hostedScreen(t: Setup): Promise<{ screen: string; reading: { kind: string } }> {
  const session = listSessionRecords(t.otto).find((r) => r.surface === SURFACE);
  if (session === undefined) throw new Error("no hosted session record");
  return (await requestControl(session.socket, { op: "screen" })) as { screen: string; reading: { kind: string } };
}

async function record(t: Setup, name: string): Promise<void> {
  if (!RECORD) return;
  const neutralRoot = t.root.replace(/[^-]+$/, (random) => "X".repeat(random.length));
  writeFileSync(join(SCREENS, `${name}.txt`), `${(await hostedScreen(t)).screen.split(t.root).join(neutralRoot)}\n`);
}

type Outcome = { code: number | null; json: Record<string, unknown> };

/** Plans until the hosted screen shows the dialog: a plan, or a refusal about the prompt itself. */
async function planFor(t: Setup): Promise<Outcome> {
  let last: Outcome = { code: null, json: {} };
  let raw = "";
  await waitFor(
    () => {
      const result = t.cli("unstick", "plan", "--surface", SURFACE, "--json");
      raw = `${result.stdout}${result.stderr}`;
      last = { code: result.code, json: result.stdout.trim() === "" ? {} : (JSON.parse(result.stdout) as Record<string, unknown>) };
      // Until the host has read the dialog the answer is no-prompt: keep looking.
      return last.code === 0 || ["blocked", "unjudgeable"].includes(String(last.json.refusal));
    },
    "a plan (or a refusal about the prompt)",
    { timeoutMs: 30_000, intervalMs: 500, describe: () => `${raw}\nscreen:\n${t.terminal.screen()}` },
  );
  return last;
}

const surfaceState = (t: Setup) =>
  (JSON.parse(t.cli("status", "--json").stdout) as { surfaces: { id: string; state: string; waiting: string | null }[] }).surfaces.find((s) => s.id === SURFACE);

async function rejectDialog(t: Setup): Promise<void> {
  t.terminal.press("Escape");
  await t.terminal.waitForScreen(/Request cancelled\./, "the dialog rejected by Esc");
  await t.terminal.waitForScreen(INPUT_BOX, "the input box after Esc");
}

describe.skipIf(skip)("the pty backend on the real Gemini CLI 0.61.0 (otto-tray run)", () => {
  let t: Setup;
  beforeAll(async () => {
    t = await start();
  }, 180_000);
  afterAll(async () => {
    await t?.terminal.close();
    await t?.server.close();
  });

  it("reads the Shell dialog, plans \"Allow once\" for the whole command, and confirm runs it exactly once", async () => {
    await record(t, "hosted-idle");
    expect(t.cli("actuator", "on", "--confirm").code).toBe(0);
    await ask(t, "#touch a file");
    const waiting = await waitFor(() => (surfaceState(t)?.state === "waiting" ? surfaceState(t) : undefined), "gem-main waiting", { timeoutMs: 30_000, describe: () => JSON.stringify(surfaceState(t)) });
    expect(waiting?.waiting).toContain("touch made.txt");
    const planned = await planFor(t);
    expect(planned.code, JSON.stringify(planned.json)).toBe(0);
    expect(planned.json).toMatchObject({ backend: "pty", prompt: { title: "Shell", subject: "touch made.txt", question: "Allow execution of [Shell]?" }, action: { answer: "Allow once", keys: "1" }, switchOn: true });
    await record(t, "hosted-shell-dialog");
    const done = t.cli("unstick", "confirm", String(planned.json.planId), "--json");
    expect(done.code, done.stderr).toBe(0);
    await t.terminal.waitForScreen(/✓ {2}Shell touch made\.txt/, "the command shown as run");
    await t.terminal.waitForScreen(/Made the file\.[\s\S]*Type your message/, "the turn's end");
    expect(existsSync(join(t.repo, "made.txt"))).toBe(true);
    await waitFor(() => surfaceState(t)?.state === "idle", "gem-main idle after the turn", { timeoutMs: 30_000, describe: () => JSON.stringify(surfaceState(t)) });
    await record(t, "hosted-after-allow-once");
    const replay = t.cli("unstick", "confirm", String(planned.json.planId));
    expect(replay.code).toBe(5);
    expect(replay.stderr).toMatch(/refused \(plan-used\)/);
  });

  it("refuses rm -rf, escalates it, and leaves the dialog for the person", async () => {
    await ask(t, "#clean the build");
    const refused = await planFor(t);
    expect(refused.code).toBe(5);
    expect(refused.json).toMatchObject({ refusal: "blocked" });
    expect(String(refused.json.reason)).toMatch(/it deletes files \(rm\)/);
    const stuck = readdirSync(t.bus)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(t.bus, f), "utf8")) as { topic: string; to?: string })
      .filter((e) => e.topic === "stuck-prompt" && e.to === SURFACE);
    expect(stuck.length).toBeGreaterThanOrEqual(1);
    const audit = JSON.parse(t.cli("audit", "--json").stdout) as { surface: string; event: string; decision: string; reason: string }[];
    expect(audit.some((e) => e.surface === SURFACE && e.event === "plan" && e.decision === "refused" && e.reason.startsWith("blocked:"))).toBe(true);
    await record(t, "hosted-dialog-rm-rf");
    expect(t.terminal.screen()).toMatch(DIALOG);
    expect(existsSync(join(t.repo, "build", "out.txt"))).toBe(true);
    await rejectDialog(t);
  });

  it.each([
    ["#multi three lines", "hosted-dialog-multi-line", "echo one > multi.txt"],
    ["#wrapped a long line", "hosted-dialog-wrapped", "echo word0 word1"],
  ])("a command that takes several rows of the dialog (%s) is refused as unjudgeable", async (prompt, name, start) => {
    await ask(t, prompt);
    const refused = await planFor(t);
    expect(refused.code).toBe(5);
    expect(refused.json).toMatchObject({ refusal: "unjudgeable" });
    expect(String(refused.json.reason)).toMatch(/rows of the dialog/);
    const hosted = await hostedScreen(t);
    expect(hosted.reading).toMatchObject({ kind: "permission", subject: expect.stringContaining(start) as unknown });
    await record(t, name);
    await rejectDialog(t);
  });

  it("a busy screen is not a prompt", async () => {
    await ask(t, "#slow take your time", /esc to cancel/);
    const deadline = Date.now() + 30_000;
    let kind = (await hostedScreen(t)).reading.kind;
    while (kind !== "busy" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      kind = (await hostedScreen(t)).reading.kind;
    }
    expect(kind).toBe("busy");
    const result = t.cli("unstick", "plan", "--surface", SURFACE);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/refused \(no-prompt\)/);
    await record(t, "hosted-busy");
    t.terminal.press("Escape");
  });
});
