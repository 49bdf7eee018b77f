// The real Claude Code 2.1.330 in a real terminal (tmux), offline against a scripted API server, with Otto Tray's hooks installed: status through a session.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Envelope, HeartbeatPayload } from "../../core/bus/envelope";
import type { Snapshot, SurfaceSnapshot } from "../../core/snapshot";
import { startScriptedServer, type ScriptedServer } from "../anthropic-server";
import { findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../claude-code";
import { runCli } from "../cli";
import { git, GIT_TEST_ENV } from "../git";
import { makeTempDir } from "../temp";
import { Terminal, waitFor } from "../terminal";

const SURFACE = "cc-e2e";
const found = findClaudeCode();
// Missing install: fail loudly (CI runs ./scripts/setup), unless a developer opted out explicitly (never under CI).
const skip = "missing" in found && process.env[SKIP_ENV] === "1" && !process.env.CI;

const SCRIPT = [
  { match: "#hello", delayMs: 5000, text: "Hello there." },
  { match: "#clean", tool: { name: "Bash", input: { command: "rm -rf build", description: "Remove the build directory" } } },
  { text: "Removed build." },
  { match: "#write", tool: { name: "Write", input: { file_path: "PLACEHOLDER", content: "hello from the fake model\n" } } },
  { text: "Wrote notes.txt (should not be reached: rejected)." },
  { match: "#interrupt", delayMs: 600_000, text: "You should not see this (interrupted)." },
];

describe.skipIf(skip)("the real Claude Code with Otto Tray's hooks", () => {
  let server: ScriptedServer | undefined;
  let terminal: Terminal | undefined;
  let bus = "";
  let prefsFile = "";
  let repo = "";
  let ottoHome = "";

  const status = (): Snapshot => {
    const result = runCli(["status", "--json", "--bus-dir", bus, "--config", prefsFile]);
    if (result.code !== 0) throw new Error(`status failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Snapshot;
  };
  const surface = (): SurfaceSnapshot => status().surfaces.find((s) => s.id === SURFACE) as SurfaceSnapshot;
  const beats = (): HeartbeatPayload[] =>
    existsSync(bus)
      ? readdirSync(bus)
          .filter((name) => name.endsWith(".json"))
          .map((name) => JSON.parse(readFileSync(join(bus, name), "utf8")) as Envelope<HeartbeatPayload>)
          .filter((e) => e.topic === "heartbeat" && e.from === SURFACE)
          .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
          .map((e) => e.payload)
      : [];
  const explain = () => `status: ${JSON.stringify(surface())}\nbeats: ${beats().map((b) => b.event).join(", ")}\nscreen:\n${terminal?.screen() ?? ""}`;
  /** Waits until the surface's status satisfies `check` (the hooks and the detector are asynchronous to the screen). */
  const until = (what: string, check: (s: SurfaceSnapshot) => boolean, timeoutMs = 60_000) =>
    waitFor(() => {
      const s = surface();
      return check(s) ? s : undefined;
    }, what, { timeoutMs, intervalMs: 300, describe: explain });
  const idleScreen = /❯[^\S\n]*\n─+\n[^\n]*\? for shortcuts/;

  beforeAll(async () => {
    if ("missing" in found) throw new Error(found.missing);
    const root = makeTempDir("otto-real-claude-");
    repo = join(root, "repo");
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
    writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
    execFileSync("mkdir", ["-p", join(repo, "build")]);
    writeFileSync(join(repo, "build", "out.txt"), "old build\n");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "init"]);
    bus = join(root, "bus");
    prefsFile = join(root, "prefs.json");
    // The shortest thresholds the preferences allow, so a silent surface is rechecked within seconds.
    writeFileSync(prefsFile, JSON.stringify({ surfaces: [SURFACE], staleAfterSeconds: 10, hungAfterSeconds: 10 }));

    const script = SCRIPT.map((turn) => (turn.tool?.name === "Write" ? { ...turn, tool: { ...turn.tool, input: { ...turn.tool.input, file_path: join(repo, "notes.txt") } } } : turn));
    server = await startScriptedServer(script);
    const claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
    ottoHome = join(root, "otto-home");
    const install = runCli(["hooks", "install", "--surface", SURFACE, "--allow-new-surface", "--settings", claude.settingsFile, "--bus-dir", bus, "--home", ottoHome, "--json"]);
    expect(install.code, install.stderr).toBe(0);
    expect(JSON.parse(install.stdout)).toMatchObject({ changed: true, permissionMode: { permissionRequestFires: true } });
    const hooksStatus = runCli(["hooks", "status", "--settings", claude.settingsFile, "--json"]);
    expect(hooksStatus.code, hooksStatus.stdout).toBe(0);
    expect(JSON.parse(hooksStatus.stdout)).toMatchObject({ surfaces: [{ surface: SURFACE, current: true, missing: [] }] });
    // exec: the pane's process is Claude Code itself, so its pid is the one the hooks report.
    terminal = Terminal.start({ dir: root, command: `exec ${found.bin}`, cwd: repo, env: claude.env });
    await terminal.waitForScreen(idleScreen, "Claude Code's idle prompt", 90_000);
  }, 180_000);

  afterAll(async () => {
    await terminal?.close();
    await server?.close();
  });

  it("the session started: the surface is idle at the prompt, and its pid is Claude Code's", async () => {
    const s = await until("the SessionStart heartbeat", (x) => x.state === "idle");
    const pid = terminal?.panePid();
    expect(pid).toBeGreaterThan(1);
    expect(s.pid).toBe(pid);
    expect(s.alive).toBe(true);
    expect(execFileSync("ps", ["-o", "comm=", "-p", String(pid)], { encoding: "utf8" }).trim()).toMatch(/claude/);
  });

  it("a prompt: working, then idle at the end of the turn", async () => {
    terminal?.type("say hello #hello");
    terminal?.press("Enter");
    await until("working during the turn", (s) => s.state === "working");
    await terminal?.waitForScreen(/Hello there\./, "the reply");
    await until("idle after Stop", (s) => s.state === "idle" && s.lastStatus === "idle");
  });

  it("a permission dialog: waiting at once from PermissionRequest, naming the command; answered: idle", async () => {
    terminal?.type("clean the build #clean");
    terminal?.press("Enter");
    await terminal?.waitForScreen(/Do you want to proceed\?[\s\S]*1\. Yes/, "the Bash permission dialog");
    const waiting = await until("waiting", (s) => s.state === "waiting");
    expect(waiting.waiting).toContain("rm -rf build");
    const history = beats();
    const request = history.findIndex((b) => b.event === "PermissionRequest" && b.waiting?.includes("rm -rf build") === true);
    expect(request, explain()).toBeGreaterThanOrEqual(0);
    // Set before any Notification (permission_prompt comes ~6 s later, if at all).
    const afterPrompt = history.slice(history.findLastIndex((b) => b.event === "UserPromptSubmit"));
    expect(afterPrompt.filter((b) => b.event === "Notification")).toEqual([]);

    await terminal?.answer(/Do you want to proceed\?[\s\S]*1\. Yes/, "1");
    await terminal?.waitForScreen(/Removed build\./, "the turn's end after the answer");
    await until("idle after the answered dialog", (s) => s.state === "idle" && s.lastStatus === "idle");
    expect(existsSync(join(repo, "build"))).toBe(false);
  });

  it("a dialog rejected with Esc: not left waiting (the transcript shows the rejection)", async () => {
    terminal?.type("write notes #write");
    terminal?.press("Enter");
    await terminal?.waitForScreen(/Do you want to create notes\.txt\?/, "the Write permission dialog");
    const waiting = await until("waiting on the Write dialog", (s) => s.state === "waiting");
    expect(waiting.waiting).toContain(join(repo, "notes.txt"));
    terminal?.press("Escape");
    await terminal?.waitForScreen(idleScreen, "the prompt after Esc");
    // No event follows an Esc: the detector reads the transcript once the surface is silent past staleAfterSeconds.
    const s = await until("not waiting any more", (x) => x.state !== "waiting", 90_000);
    expect(s.state).toBe("idle");
    expect(s.reason).toMatch(/Write permission dialog was rejected in the terminal/);
    expect(existsSync(join(repo, "notes.txt"))).toBe(false);
  });

  it("a busy turn interrupted with Esc: its reason says what is known, not a guessed hang", async () => {
    terminal?.type("this will be interrupted #interrupt");
    terminal?.press("Enter");
    await terminal?.waitForScreen(/esc to interrupt/, "the busy turn");
    await until("working", (s) => s.state === "working");
    terminal?.press("Escape");
    // The interrupted prompt is put back into the input box; the busy footer goes.
    await waitFor(() => !/esc to interrupt/.test(terminal?.screen() ?? ""), "the busy footer to go after Esc", { describe: explain });
    const s = await until("the recheck after the silence", (x) => x.state !== "working", 90_000);
    expect(s.state).not.toBe("hung");
    expect(s.reason).toMatch(/interrupted with Esc, or the model never answered \(the transcript cannot tell which\)/);
  });

  it("the exit: offline", async () => {
    // Ctrl-C clears a non-empty input first, then twice exits: press until it has, with a deadline.
    await waitFor(
      () => {
        if (terminal?.exited() === true) return true;
        terminal?.press("C-c");
        return false;
      },
      "Claude Code to exit on Ctrl-C",
      { timeoutMs: 60_000, intervalMs: 400, describe: explain },
    );
    const s = await until("offline", (x) => x.state === "offline");
    expect(s.reason).toMatch(/session ended|is gone/);
    expect(beats().at(-1)).toMatchObject({ event: "SessionEnd", note: "prompt_input_exit" });
    // Every hook ran cleanly with the narrow PATH Claude Code had: nothing in the handler's log.
    const log = join(ottoHome, "logs", "hook.log");
    expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
  });
});

