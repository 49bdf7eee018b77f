// The real Claude Code 2.1.330 in tmux, offline: `claude --worktree NAME` with `hooks install --worktrees` works in a sidetick of the pool.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../anthropic-server";
import { type ClaudeHome, findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../claude-code";
import { runCli } from "../cli";
import { git, GIT_TEST_ENV } from "../git";
import { makeTempDir } from "../temp";
import { Terminal, waitFor } from "../terminal";

const SURFACE = "cc-wt";
const found = findClaudeCode();
// Missing install: fail loudly (CI runs ./scripts/setup), unless a developer opted out explicitly (never under CI).
const skip = "missing" in found && process.env[SKIP_ENV] === "1" && !process.env.CI;

interface SidetickRow {
  path: string;
  state: string;
  holderPid: number | null;
  branch: string | null;
}

describe.skipIf(skip)("claude --worktree served by the pool (the real Claude Code)", () => {
  let server: ScriptedServer | undefined;
  let claude: ClaudeHome | undefined;
  let root = "";
  let repo = "";
  const terminals: Terminal[] = [];
  const idleScreen = /❯[^\S\n]*\n─+\n[^\n]*\? for shortcuts/;

  const pool = (sub: string, args: string[] = []) => runCli(["pool", sub, "--repo", repo, "--identity", SURFACE, ...args], { env: { HOME: claude?.home ?? "" } });
  const sideticks = (): SidetickRow[] => {
    const result = pool("status", ["--json"]);
    if (result.code !== 0) throw new Error(`pool status failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as { identities: { sideticks: SidetickRow[] }[] }).identities[0]?.sideticks ?? [];
  };
  /** Claude Code's own record of its session: its cwd is where it works. */
  const registryCwd = (pid: number): string | undefined => {
    try {
      return (JSON.parse(readFileSync(join(claude?.configDir ?? "", "sessions", `${pid}.json`), "utf8")) as { cwd?: string }).cwd;
    } catch {
      return undefined; // not written yet, or torn (rewritten in place): read again
    }
  };
  const start = (name: string): Terminal => {
    const dir = join(root, `tmux-${name}`);
    mkdirSync(dir, { recursive: true });
    // exec: the pane's process is Claude Code itself, so its pid is the one the hooks pass as $PPID.
    const terminal = Terminal.start({ dir, command: `exec ${"bin" in found ? found.bin : "claude"} --worktree ${name}`, cwd: repo, env: claude?.env ?? {} });
    terminals.push(terminal);
    return terminal;
  };
  const explain = (terminal: Terminal) => () => `pool: ${JSON.stringify(sideticks())}\nscreen:\n${terminal.screen()}`;

  beforeAll(async () => {
    if ("missing" in found) throw new Error(found.missing);
    root = makeTempDir("otto-real-claude-wt-");
    repo = join(root, "repo");
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
    writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "init"]);
    server = await startScriptedServer([{ match: "#hello", text: "Hello there." }]);
    claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
    const install = runCli(["hooks", "install", "--surface", SURFACE, "--allow-new-surface", "--worktrees", "--settings", claude.settingsFile, "--bus-dir", join(root, "bus"), "--home", join(root, "otto-home"), "--json"]);
    expect(install.code, install.stderr).toBe(0);
    expect(JSON.parse(install.stdout)).toMatchObject({ added: expect.arrayContaining(["WorktreeCreate", "WorktreeRemove"]) as unknown });
  }, 60_000);

  afterAll(async () => {
    for (const terminal of terminals) await terminal.close();
    await server?.close();
  });

  let a: { terminal: Terminal; pid: number; path: string } | undefined;
  let b: { terminal: Terminal; pid: number; path: string } | undefined;

  it("two sessions started at once in one repository work in two different sideticks, on branches a and b", async () => {
    const terminals = { a: start("a"), b: start("b") };
    const sessions: Record<string, { terminal: Terminal; pid: number; path: string }> = {};
    for (const [name, terminal] of Object.entries(terminals)) {
      await terminal.waitForScreen(idleScreen, `Claude Code's idle prompt in worktree ${name}`, 120_000);
      const pid = terminal.panePid() ?? 0;
      expect(pid).toBeGreaterThan(1);
      const cwd = await waitFor(() => registryCwd(pid), `the registry record of ${name}`, { describe: explain(terminal) });
      expect(cwd).toMatch(new RegExp(`/${SURFACE}/sidetick-\\d+$`));
      sessions[name] = { terminal, pid, path: cwd };
    }
    a = sessions.a;
    b = sessions.b;
    expect(a?.path).not.toBe(b?.path);
    const rows = sideticks();
    expect(rows.find((s) => s.path === a?.path)).toMatchObject({ state: "leased", holderPid: a?.pid, branch: "a" });
    expect(rows.find((s) => s.path === b?.path)).toMatchObject({ state: "leased", holderPid: b?.pid, branch: "b" });
    expect(git(a?.path ?? "", ["branch", "--show-current"]).trim()).toBe("a");
  }, 300_000);

  it("SIGKILL of one session frees its sidetick once nothing works in it", async () => {
    if (b === undefined) throw new Error("the first test did not start the sessions");
    process.kill(b.pid, "SIGKILL");
    const path = b.path;
    await waitFor(() => sideticks().find((s) => s.path === path)?.state === "free", "b's sidetick free after SIGKILL", { describe: explain(b.terminal) });
    expect(sideticks().find((s) => s.path === a?.path)?.state).toBe("leased");
  }, 120_000);

  it("exit with Remove worktree rescues unsaved work to a rescue branch and frees the sidetick", async () => {
    if (a === undefined) throw new Error("the first test did not start the sessions");
    const { terminal, path } = a;
    writeFileSync(join(path, "draft.txt"), "unsaved work\n");
    terminal.press("C-c");
    terminal.press("C-c");
    await terminal.waitForScreen(/Remove worktree/, "the Keep / Remove worktree question", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // answered half a second after it appears, as a person does
    terminal.press("Down");
    terminal.press("Enter");
    await waitFor(() => sideticks().find((s) => s.path === path)?.state === "free", "a's sidetick free after Remove", { timeoutMs: 60_000, describe: explain(terminal) });
    const rescued = JSON.parse(pool("rescued", ["--json"]).stdout) as { branch: string }[];
    expect(rescued).toHaveLength(1);
    expect(git(repo, ["show", `${rescued[0]?.branch}:draft.txt`]).trim()).toBe("unsaved work");
    expect(existsSync(join(path, "draft.txt"))).toBe(false);
  }, 120_000);

  it("exit with Keep worktree leaves the sidetick leased for 24 hours with no holder, so nobody else gets it", async () => {
    const terminal = start("c");
    await terminal.waitForScreen(idleScreen, "Claude Code's idle prompt in worktree c", 120_000);
    const pid = terminal.panePid() ?? 0;
    const path = await waitFor(() => registryCwd(pid), "the registry record of c", { describe: explain(terminal) });
    terminal.press("C-c");
    terminal.press("C-c");
    await terminal.waitForScreen(/Keep worktree/, "the Keep / Remove worktree question", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    terminal.press("Enter");
    await waitFor(() => terminal.exited() || undefined, "Claude Code to exit", { timeoutMs: 30_000, describe: explain(terminal) });
    const row = await waitFor(() => sideticks().find((s) => s.path === path && s.holderPid === null), "c's lease without a holder", { describe: explain(terminal) });
    expect(row.state).toBe("leased");
    expect(row.branch).toBe("c");
    const hours = (Date.parse((row as SidetickRow & { expiresAt: string }).expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
  }, 180_000);
});
