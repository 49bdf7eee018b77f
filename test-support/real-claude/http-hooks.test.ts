// The real Claude Code 2.1.330 with Otto Tray's hooks installed as HTTP hooks, answered by a real `otto-tray serve`:
// heartbeats with the registry's pid, a PermissionRequest answered over HTTP, and Esc ending the wait at once.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HeartbeatPayload } from "../../core/bus/envelope";
import { startScriptedServer, type ScriptedServer, type ScriptedTurn } from "../anthropic-server";
import { findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../claude-code";
import { runCli } from "../cli";
import { freePort } from "../free-port";
import { type ServeProcess, startServe, stopAllServes } from "../serve";
import { makeTempDir } from "../temp";
import { type Terminal, waitFor } from "../terminal";
import { heartbeatsFrom } from "../bus";
import { CLAUDE_IDLE_SCREEN, makeThrowawayRepo, startClaudeAtPrompt } from "../claude-session";

const SURFACE = "cc-http";
const found = findClaudeCode();
const skip = "missing" in found && process.env[SKIP_ENV] === "1" && !process.env.CI;

const SCRIPT: ScriptedTurn[] = [
  { match: "#hello", text: "Hello there." },
  { match: "#clean", tool: { name: "Bash", input: { command: "npm test", description: "Run the tests" } } },
  { text: "Ran the tests." },
  { match: "#write", tool: { name: "Write", input: { file_path: "PLACEHOLDER", content: "hello\n" } } },
  { text: "Wrote notes.txt (should not be reached: rejected)." },
];

describe.skipIf(skip)("the real Claude Code with HTTP hooks answered by otto-tray serve", () => {
  let server: ScriptedServer | undefined;
  let terminal: Terminal | undefined;
  let serve: ServeProcess | undefined;
  let bus = "";
  let repo = "";
  let home = "";
  let settingsFile = "";
  let cli: (...args: string[]) => ReturnType<typeof runCli>;

  const beats = (): HeartbeatPayload[] => heartbeatsFrom(bus, SURFACE);
  const explain = () => `beats: ${beats().map((b) => b.event).join(", ")}\nscreen:\n${terminal?.screen() ?? ""}`;
  const beat = (what: string, check: (b: HeartbeatPayload) => boolean) => waitFor(() => beats().find(check), what, { timeoutMs: 60_000, describe: explain });

  beforeAll(async () => {
    if ("missing" in found) throw new Error(found.missing);
    const root = makeTempDir("otto-real-http-hooks-");
    repo = makeThrowawayRepo(root);
    bus = join(root, "bus");
    home = join(root, "otto-home");
    const script = SCRIPT.map((turn) => (turn.tool?.name === "Write" ? { ...turn, tool: { ...turn.tool, input: { ...turn.tool.input, file_path: join(repo, "notes.txt") } } } : turn));
    server = await startScriptedServer(script);
    const claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
    settingsFile = claude.settingsFile;
    const prefsFile = join(root, "prefs.json");
    // The session is this surface's by rule, so its registry record gives the HTTP heartbeats their pid.
    writeFileSync(prefsFile, JSON.stringify({ surfaces: [SURFACE], claudeConfigDirs: [claude.configDir], sessionRules: [{ surface: SURFACE, cwdPrefix: repo }], actuator: { permissionWaitSeconds: 120 } }));
    const env = { OTTO_TRAY_HOOK_PORT: String(await freePort()) };
    cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus, "--config", prefsFile], { env: { ...process.env, ...env } });
    serve = await startServe(["--home", home, "--bus-dir", bus, "--config", prefsFile], { ...env, ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" });

    const install = cli("hooks", "install", "--surface", SURFACE, "--allow-new-surface", "--settings", claude.settingsFile, "--transport", "http", "--json");
    expect(install.code, install.stderr).toBe(0);
    expect(JSON.parse(install.stdout)).toMatchObject({ changed: true, transport: "http", endpoint: { answers: true, owner: "serve", pid: serve.child.pid } });
    // The token is in the settings file: it is private now.
    expect(statSync(claude.settingsFile).mode & 0o077).toBe(0);
    const status = cli("hooks", "status", "--settings", claude.settingsFile, "--json");
    expect(status.code, status.stdout).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ surfaces: [{ surface: SURFACE, current: true, transport: "http", tokenCurrent: true, endpoints: [{ answers: true }] }] });

    terminal = await startClaudeAtPrompt({ root, bin: found.bin, repo, env: claude.env });
  }, 180_000);

  afterAll(async () => {
    await terminal?.close();
    await server?.close();
    stopAllServes();
  });

  it("SessionStart comes from the command hook; every later event over HTTP, with Claude Code's pid from its registry", async () => {
    const start = await beat("the SessionStart heartbeat", (b) => b.event === "SessionStart");
    const pid = terminal?.panePid();
    expect(start.pid).toBe(pid);
    terminal?.type("say hello #hello");
    terminal?.press("Enter");
    await terminal?.waitForScreen(/Hello there\./, "the reply");
    const prompt = await beat("the UserPromptSubmit heartbeat", (b) => b.event === "UserPromptSubmit");
    expect(prompt).toMatchObject({ status: "working", pid });
    await beat("the Stop heartbeat", (b) => b.event === "Stop" && b.status === "idle");
    expect(terminal?.screen()).not.toMatch(/hook failed|ECONNREFUSED/i);
  });

  it("with the switch on, a PermissionRequest waits in the endpoint and a confirmed plan answers it over HTTP", async () => {
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    terminal?.type("run the tests #clean");
    terminal?.press("Enter");
    await beat("the PermissionRequest heartbeat", (b) => b.event === "PermissionRequest" && b.waiting?.includes("npm test") === true);
    const plan = await waitFor(() => {
      const planned = cli("unstick", "plan", "--surface", SURFACE, "--json");
      return planned.code === 0 ? (JSON.parse(planned.stdout) as { planId: string; backend: string }) : undefined;
    }, "a plan for the waiting request", { timeoutMs: 30_000, describe: explain });
    expect(plan.backend).toBe("hook");
    expect(cli("unstick", "confirm", plan.planId, "--json").code).toBe(0);
    // Nobody pressed a key: the allow came back as the HTTP answer.
    await terminal?.waitForScreen(/Ran the tests\./, "the turn's end after the HTTP answer", 60_000);
  });

  it("Esc on the dialog closes the request: the endpoint's wait ends at once and the surface leaves waiting", async () => {
    terminal?.type("write notes #write");
    terminal?.press("Enter");
    await terminal?.waitForScreen(/Do you want to create notes\.txt\?/, "the Write permission dialog");
    await beat("the PermissionRequest for Write", (b) => b.event === "PermissionRequest" && b.waiting?.includes("notes.txt") === true);
    // The endpoint is waiting for a plan (the switch is on): give it the request before the Esc.
    await waitFor(() => (cli("unstick", "plan", "--surface", SURFACE, "--json").code === 0 ? true : undefined), "the Write request planned", { timeoutMs: 30_000, describe: explain });
    terminal?.press("Escape");
    await terminal?.waitForScreen(CLAUDE_IDLE_SCREEN, "the prompt after Esc");
    await beat("the dismissal heartbeat", (b) => b.event === "PermissionDismissed" && b.status === "idle");
    expect(existsSync(join(repo, "notes.txt"))).toBe(false);
    expect(cli("actuator", "off").code).toBe(0);
  });

  it("with serve stopped, hooks status says the endpoint does not answer", async () => {
    await terminal?.close();
    terminal = undefined;
    await serve?.stop();
    const status = cli("hooks", "status", "--settings", settingsFile);
    expect(status.code).toBe(6);
    expect(status.stdout).toMatch(/does not answer \(nothing listens on 127\.0\.0\.1:\d+\); Claude Code shows "hook failed" on every event/);
  });
});
