// Codex and Gemini as Otto Tray surfaces, with the real CLIs in tmux and Otto Tray's own hooks installed by
// `otto-tray hooks install`: a command asked → the surface waits naming it; answered → working; the turn's end → idle;
// exit → offline. Codex's dialog comes up at once with codexPermissionWaitSeconds 0; Gemini's is never answered.
import { afterAll, describe, expect, it } from "vitest";
import { agentWorld } from "../agent-world";
import { endLeftovers, exitCodex, findCodex, prepareCodexHome } from "../codex";
import { findGemini, GEMINI_MODEL, prepareGeminiHome } from "../gemini";
import { startGeminiServer } from "../gemini-server";
import { startResponsesServer } from "../responses-server";
import { Terminal, waitFor } from "../terminal";

const terminals: Terminal[] = [];
afterAll(async () => {
  for (const t of terminals) await t.close();
});

describe("a Codex surface (Codex CLI 0.171.0)", () => {
  const found = findCodex();
  it("waits naming the command it asks to run, works once it is approved, idles at the turn's end, goes offline at exit", async () => {
    if ("missing" in found) throw new Error(found.missing);
    // 0: the hook does not wait for a plan (Codex's dialog would come only once it returns); codex-unstick.test.ts
    // covers the wait.
    const w = agentWorld("codex", "codex-main", "codex", { actuator: { codexPermissionWaitSeconds: 0 } });
    const server = await startResponsesServer([
      { match: "#write", call: { name: "exec_command", arguments: { cmd: "echo hi > x.txt", sandbox_permissions: "require_escalated", justification: "write x.txt" } } },
      { text: "Done: x.txt written." },
    ]);
    const home = prepareCodexHome({ root: w.root, cwd: w.repo, baseUrl: server.baseUrl });
    const installed = w.cli(["hooks", "install", "--surface", "codex-main"], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`Codex hooks for codex-main installed in ${home.configFile}`);
    // With the switch on and codexPermissionWaitSeconds 0: Codex's PermissionRequest hook is not awaited, so its own
    // dialog comes up at once.
    expect(w.cli(["actuator", "on", "--confirm"]).code).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${found.bin}' --dangerously-bypass-hook-trust --no-daemon`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    await terminal.waitForScreen(/› Ask Codex to do anything/, "Codex's idle prompt", 90_000);
    terminal.type("#write please");
    await terminal.waitForScreen(/› #write please/, "the typed prompt");
    // An Enter right after typed text is sometimes dropped: pressed again while the prompt still sits in the box.
    await waitFor(
      () => {
        if (/Would you like to run the following command\?/.test(terminal.screen())) return true;
        if (terminal.screen().includes("› #write please")) terminal.press("Enter");
        return undefined;
      },
      "Codex's dialog",
      { timeoutMs: 90_000, intervalMs: 1500, describe: () => `${terminal.screen()}\nrequests: ${server.requests.length}\nhook log: ${w.hookLog()}` },
    );
    const waiting = await waitFor(() => (w.state()?.state === "waiting" ? w.state() : undefined), "codex-main waiting", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    expect(waiting).toMatchObject({ agent: "codex", waiting: "permission for Bash: echo hi > x.txt" });
    terminal.press("y");
    await terminal.waitForScreen(/Done: x\.txt written\./, "the turn's end", 90_000);
    await waitFor(() => w.state()?.state === "idle", "codex-main idle after the turn", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    await exitCodex(terminal);
    await waitFor(() => w.state()?.state === "offline", "codex-main offline after exit", { timeoutMs: 60_000, describe: () => `${JSON.stringify(w.state())}\n${terminal.screen()}` });
    await terminal.close();
    // No app-server daemon (or anything else of this session's) is left running.
    expect(await endLeftovers(w.root, home.codexHome)).toEqual([]);
    await server.close();
  }, 240_000);
});

describe("a Gemini surface (Gemini CLI 0.61.0)", () => {
  const found = findGemini();
  it("waits naming the command its dialog asks about, is never answered by its hooks, idles at AfterAgent, goes offline at SessionEnd", async () => {
    if ("missing" in found) throw new Error(found.missing);
    const w = agentWorld("gemini", "gem-main", "gemini");
    const server = await startGeminiServer([{ match: "#touch", call: { name: "run_shell_command", args: { command: "touch made.txt", description: "make a file" } } }, { text: "Made the file." }]);
    const home = prepareGeminiHome({ root: w.root, cwd: w.repo, baseUrl: server.url });
    const installed = w.cli(["hooks", "install", "--surface", "gem-main"], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    expect(w.cli(["actuator", "on", "--confirm"]).code).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${process.execPath}' '${found.bin}' -m ${GEMINI_MODEL}`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    await terminal.waitForScreen(/Type your message or @path\/to\/file/, "Gemini CLI's input box", 120_000);
    terminal.type("#touch a file");
    await terminal.waitForScreen(/ > #touch a file\n/, "the typed prompt");
    // An Enter right after typed text is sometimes dropped: pressed again while the prompt still sits in the box.
    await waitFor(
      () => {
        if (/Allow execution of \[Shell\]\?/.test(terminal.screen())) return true;
        // Only while the prompt is still in the input box (above the footer), not once it is in the history.
        if (/\n > #touch a file\n(\s*\n)* workspace/.test(terminal.screen())) terminal.press("Enter");
        return undefined;
      },
      "Gemini's dialog",
      { timeoutMs: 90_000, intervalMs: 1000, describe: () => terminal.screen() },
    );
    const waiting = await waitFor(() => (w.state()?.state === "waiting" ? w.state() : undefined), "gem-main waiting", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    expect(waiting).toMatchObject({ agent: "gemini", waiting: "permission for shell: touch made.txt" });
    // The dialog stays for the person: Otto Tray's hooks answered nothing, and unstick says where to answer it.
    expect(terminal.screen()).toMatch(/● 1\. Allow once/);
    const plan = w.cli(["unstick", "plan", "--surface", "gem-main", "--json"]);
    expect(plan.code).toBe(5);
    expect(JSON.parse(plan.stdout)).toMatchObject({ refusal: "no-backend" });
    expect(plan.stdout).toContain("Gemini CLI's hooks cannot answer its dialog, and gem-main is not hosted");
    terminal.press("Enter");
    await terminal.waitForScreen(/Made the file\./, "the reply after the command", 90_000);
    await waitFor(() => w.state()?.state === "idle", "gem-main idle after AfterAgent", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    terminal.type("/quit");
    await terminal.waitForScreen(/ > \/quit/, "the typed /quit");
    await waitFor(
      () => {
        if (terminal.exited()) return true;
        if (terminal.screen().includes(" > /quit")) terminal.press("Enter");
        return false;
      },
      "Gemini CLI to exit",
      { timeoutMs: 60_000, intervalMs: 1000, describe: () => terminal.screen() },
    );
    await waitFor(() => w.state()?.state === "offline", "gem-main offline after SessionEnd", { timeoutMs: 60_000, describe: () => `${JSON.stringify(w.state())}\n${terminal.screen()}` });
    await server.close();
  }, 240_000);
});
