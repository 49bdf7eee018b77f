// Codex's prompts answered by the same judge, plans and confirmations as Claude Code's, with the real Codex CLI in tmux:
// its PermissionRequest hook holds the dialog back while a plan may be confirmed (`unstick plan`/`confirm` → the
// command runs, no dialog); a blocked command is refused at once, escalated, and Codex's own dialog is the person's;
// Esc (on the dialog, or while the hook waits) sends no event, and the surface still turns idle from Codex's file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentWorld, type AgentWorld } from "../agent-world";
import { endLeftovers, exitCodex, findCodex, prepareCodexHome } from "../codex";
import { git } from "../git";
import { startResponsesServer } from "../responses-server";
import { Terminal, waitFor } from "../terminal";

const SURFACE = "codex-main";
const DIALOG = /Would you like to run the following command\?/;
const terminals: Terminal[] = [];
afterAll(async () => {
  for (const t of terminals) await t.close();
});

/** Types a prompt and presses Enter until Codex takes it (an Enter right after typed text is sometimes dropped). */
async function ask(terminal: Terminal, text: string, taken: () => boolean, what: string): Promise<void> {
  terminal.type(text);
  await terminal.waitForScreen(new RegExp(`› ${text}`), "the typed prompt");
  await waitFor(
    () => {
      if (taken()) return true;
      if (terminal.screen().includes(`› ${text}`)) terminal.press("Enter");
      return undefined;
    },
    what,
    { timeoutMs: 90_000, intervalMs: 1500, describe: () => terminal.screen() },
  );
}

interface StuckPrompt {
  topic: string;
  to: string;
  payload: { surface: string; prompt: { subject: string } | null; reason: string };
}

function stuckPrompts(w: AgentWorld): StuckPrompt[] {
  return readdirSync(w.bus)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(w.bus, f), "utf8")) as StuckPrompt)
    .filter((e) => e.topic === "stuck-prompt");
}

describe("Codex prompts answered through its PermissionRequest hook (Codex CLI 0.171.0)", () => {
  const found = findCodex();
  it("holds the dialog back while a plan is confirmed, which runs the command; refuses a blocked one at once and escalates it", async () => {
    if ("missing" in found) throw new Error(found.missing);
    // A wait far longer than this test needs, so the dialog cannot come up before the plan is confirmed.
    const w = agentWorld("codex-unstick", SURFACE, "codex", { actuator: { codexPermissionWaitSeconds: 240 } });
    mkdirSync(join(w.repo, "build"));
    writeFileSync(join(w.repo, "build", "out.txt"), "old build\n");
    git(w.repo, ["add", "-A"]);
    git(w.repo, ["commit", "-qm", "build"]);
    const server = await startResponsesServer([
      { match: "#write", call: { name: "exec_command", arguments: { cmd: "echo hi > x.txt", sandbox_permissions: "require_escalated", justification: "write x.txt" } } },
      { text: "Done: x.txt written." },
      { match: "#clean", call: { name: "exec_command", arguments: { cmd: "rm -rf build", sandbox_permissions: "require_escalated", justification: "clean the build" } } },
      { text: "Cleaned." },
      { match: "#touch later", call: { name: "exec_command", arguments: { cmd: "touch later.txt", sandbox_permissions: "require_escalated", justification: "make later.txt" } } },
      { text: "Made later.txt." },
    ]);
    const home = prepareCodexHome({ root: w.root, cwd: w.repo, baseUrl: server.baseUrl });
    const installed = w.cli(["hooks", "install", "--surface", SURFACE], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    expect(w.cli(["actuator", "on", "--confirm"]).code).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${found.bin}' --dangerously-bypass-hook-trust --no-daemon`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    await terminal.waitForScreen(/› Ask Codex to do anything/, "Codex's idle prompt", 90_000);

    // The surface turns waiting, naming the command; Codex shows no dialog while its hook waits.
    await ask(terminal, "#write please", () => w.state()?.state === "waiting", "codex-main waiting");
    expect(w.state()).toMatchObject({ agent: "codex", waiting: "permission for Bash: echo hi > x.txt" });
    let plan = { code: null as number | null, stdout: "", stderr: "" };
    await waitFor(() => (plan = w.cli(["unstick", "plan", "--surface", SURFACE, "--json"])).code === 0, "a plan for codex-main", {
      timeoutMs: 30_000,
      intervalMs: 500,
      describe: () => `${plan.stdout}${plan.stderr}\n${terminal.screen()}\nhook log: ${w.hookLog()}`,
    });
    const planned = JSON.parse(plan.stdout) as { planId: string; backend: string; prompt: { subject: string } };
    expect(planned).toMatchObject({ backend: "hook", prompt: { subject: "echo hi > x.txt" } });
    expect(terminal.screen()).not.toMatch(DIALOG);
    const confirmed = w.cli(["unstick", "confirm", planned.planId, "--json"]);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    await terminal.waitForScreen(/Done: x\.txt written\./, "the turn's end", 90_000);
    expect(readFileSync(join(w.repo, "x.txt"), "utf8")).toBe("hi\n");
    // Allowed by the hook: Codex never showed its dialog (a person's answer leaves "You approved codex to run …").
    expect(terminal.screen()).not.toMatch(/You approved codex/);
    await waitFor(() => w.state()?.state === "idle", "codex-main idle after the turn", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    const replay = w.cli(["unstick", "confirm", planned.planId]);
    expect(replay.code).toBe(5);
    expect(replay.stderr).toMatch(/refused \(plan-used\)/);

    // A blocked command: the hook does not wait (no plan could ever be made), escalates, and Codex's dialog comes up.
    await ask(terminal, "#clean the build", () => DIALOG.test(terminal.screen()), "Codex's dialog for rm -rf build");
    expect(terminal.screen()).toMatch(/\$ rm -rf build/);
    const escalated = await waitFor(() => stuckPrompts(w).find((e) => e.to === SURFACE), "a stuck-prompt escalation for codex-main", { timeoutMs: 10_000, describe: () => JSON.stringify(stuckPrompts(w)) });
    expect(escalated.payload).toMatchObject({ surface: SURFACE, prompt: { subject: "rm -rf build" } });
    expect(escalated.payload.reason).toMatch(/^blocked: it deletes files \(rm\)/);
    const audit = w.cli(["audit", "--json"]);
    expect(audit.stdout).toMatch(/blocked: it deletes files \(rm\)[^"]*Codex's own dialog is left for the person/);
    const noHook = w.cli(["unstick", "plan", "--surface", SURFACE, "--json"]);
    expect(noHook.code).toBe(5);
    expect(JSON.parse(noHook.stdout)).toMatchObject({ refusal: "no-backend" });
    expect(noHook.stdout).toMatch(/Codex's own dialog is the person's/);
    expect(w.state()).toMatchObject({ state: "waiting", waiting: "permission for Bash: rm -rf build" });
    terminal.press("Escape");
    await terminal.waitForScreen(/You canceled the request to run rm -rf build/, "the cancelled request");
    expect(existsSync(join(w.repo, "build", "out.txt"))).toBe(true);
    // Esc sends no event; Codex writes turn_aborted to its session file, which the detector reads at once.
    await waitFor(() => w.state()?.state === "idle", "codex-main idle after Esc on its dialog", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    expect(w.state()).toMatchObject({ waiting: null });
    expect(w.state()?.reason).toMatch(/^the turn was interrupted in the terminal \(transcript\)/);

    // Esc while the hook waits: Codex ends the hook outright (it cannot say anything) and the turn; the file tells.
    await ask(terminal, "#touch later", () => w.state()?.state === "waiting", "codex-main waiting on touch later.txt");
    expect(w.state()).toMatchObject({ waiting: "permission for Bash: touch later.txt" });
    await terminal.waitForScreen(/Running hook/, "Codex running the hook");
    terminal.press("Escape");
    await terminal.waitForScreen(/Conversation interrupted/, "the interrupted turn");
    await waitFor(() => w.state()?.state === "idle", "codex-main idle after Esc while the hook waited", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    expect(existsSync(join(w.repo, "later.txt"))).toBe(false);

    await exitCodex(terminal);
    await waitFor(() => w.state()?.state === "offline", "codex-main offline after exit", { timeoutMs: 60_000, describe: () => JSON.stringify(w.state()) });
    await terminal.close();
    expect(await endLeftovers(w.root, home.codexHome)).toEqual([]);
    await server.close();
  }, 300_000);
});
