// Claude Code's own session registry with the real Claude Code 2.1.330 and NO hooks installed (offline, scripted API
// server, a real tmux terminal): its record is found, a permission dialog shows as waiting, and SIGKILL shows as ended.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer, type ScriptedTurn } from "../anthropic-server";
import { transcriptPathOf } from "../../core/sessions/session-rows";
import { findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../claude-code";
import { runCli } from "../cli";
import { makeThrowawayRepo, startClaudeAtPrompt } from "../claude-session";
import { makeTempDir } from "../temp";
import { type Terminal, waitFor } from "../terminal";
import type { SessionRow } from "../../core/sessions/session-rows";

const found = findClaudeCode();
const skip = "missing" in found && process.env[SKIP_ENV] === "1" && !process.env.CI;

const SCRIPT: ScriptedTurn[] = [
  { match: "#make", tool: { name: "Bash", input: { command: "touch made.txt", description: "Run touch made.txt" } } },
  { text: "Ran touch made.txt." },
];
const DIALOG = /Do you want to proceed\?[\s\S]*1\. Yes/;

/** A row of `status --json` sessions, as the CLI prints it. */
type Row = SessionRow;

describe.skipIf(skip)("Claude Code's session registry, no hooks installed", () => {
  let root: string;
  let repo: string;
  let sessionsDir: string;
  let configDir: string;
  let server: ScriptedServer;
  let terminal: Terminal;
  let cli: (...args: string[]) => ReturnType<typeof runCli>;

  beforeAll(async () => {
    if ("missing" in found) throw new Error(found.missing);
    root = makeTempDir("otto-real-registry-");
    repo = makeThrowawayRepo(root);
    server = await startScriptedServer(SCRIPT);
    const claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
    configDir = claude.configDir;
    sessionsDir = join(configDir, "sessions");
    // Nothing but the preferences naming Claude Code's config dir: no hooks, no `otto-tray run`.
    const config = join(root, "prefs.json");
    writeFileSync(config, JSON.stringify({ claudeConfigDirs: [claude.configDir] }));
    const home = join(root, "otto-home");
    cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", join(root, "bus"), "--config", config]);
    terminal = await startClaudeAtPrompt({ root, bin: found.bin, repo, env: claude.env });
  }, 180_000);
  afterAll(async () => {
    await terminal?.close();
    await server?.close();
  });

  const recordPid = (): number | undefined => {
    const names = existsSync(sessionsDir) ? readdirSync(sessionsDir).filter((n) => /^\d+\.json$/.test(n)) : [];
    return names.length === 1 ? Number(names[0]?.slice(0, -".json".length)) : undefined;
  };
  const statusRow = (pid: number): Row | undefined => (JSON.parse(cli("status", "--json").stdout) as { sessions: Row[] }).sessions.find((s) => s.pid === pid);
  const surfaceState = (): string | undefined => (JSON.parse(cli("status", "--json").stdout) as { surfaces: { id: string; state: string }[] }).surfaces.find((s) => s.id === "otto-cli")?.state;
  const sessionsRow = (pid: number): (Row & { alive: boolean }) | undefined => (JSON.parse(cli("sessions", "--json").stdout) as (Row & { alive: boolean })[]).find((s) => s.pid === pid);

  it("is found in the registry, shows waiting on a permission dialog, and ended (not working) once SIGKILLed", async () => {
    const pid = await waitFor(recordPid, "Claude Code's session record", { timeoutMs: 30_000 });
    const listed = await waitFor(() => {
      const row = statusRow(pid);
      return row?.state === "idle" ? row : undefined;
    }, "the session idle in status --json", { timeoutMs: 30_000, describe: () => cli("status", "--json").stdout });
    expect(listed).toMatchObject({ surface: "otto-cli", cwd: repo, branch: "main", source: ["registry"], waitingFor: null });
    expect(listed.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sessionsRow(pid)).toMatchObject({ surface: "otto-cli", state: "idle", alive: true, sessionId: listed.sessionId, source: ["registry"] });

    terminal.type("make a file #make");
    terminal.press("Enter");
    await terminal.waitForScreen(DIALOG, "the permission dialog");
    const waiting = await waitFor(() => {
      const row = statusRow(pid);
      return row?.state === "waiting" ? row : undefined;
    }, "the session waiting in status --json", { timeoutMs: 30_000, describe: () => cli("status", "--json").stdout });
    expect(waiting.waitingFor).toMatch(/permission/);
    // Where a busy session's transcript is looked for (hung: not grown for hungAfterSeconds) is where Claude Code writes it.
    expect(existsSync(transcriptPathOf(configDir, repo, listed.sessionId))).toBe(true);
    // The surface follows its only session, with no heartbeat on the bus.
    expect(surfaceState()).toBe("waiting");
    expect(sessionsRow(pid)).toMatchObject({ state: "waiting", surface: "otto-cli" });

    process.kill(pid, "SIGKILL");
    await waitFor(() => terminal.exited() || undefined, "the terminal's Claude Code gone", { timeoutMs: 30_000 });
    // SIGKILL leaves the record behind, still saying waiting: it must read as a session that ended.
    expect(existsSync(join(sessionsDir, `${pid}.json`))).toBe(true);
    expect(statusRow(pid)).toMatchObject({ state: "ended", waitingFor: null, since: null });
    expect(sessionsRow(pid)).toMatchObject({ state: "ended", alive: false });
    expect(surfaceState()).toBe("offline");
    expect(existsSync(join(repo, "made.txt"))).toBe(false);
  });
});
