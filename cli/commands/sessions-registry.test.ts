// `otto-tray status --json` and `sessions --json` list Claude Code's registry sessions (real records, real processes, the built CLI).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownPidDomain, procStartOf } from "../../core/sessions/liveness";
import { transcriptPathOf } from "../../core/sessions/session-rows";
import { runCli } from "../../test-support/cli";
import { git, makeRepoWithoutOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";
import type { SessionRow } from "../../core/sessions/session-rows";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
});

function liveChild(): { pid: number; procStart: string } {
  const child = spawn("sleep", ["300"], { stdio: "ignore" });
  children.push(child);
  const pid = child.pid ?? 0;
  return { pid, procStart: procStartOf(pid)?.start ?? "" };
}

/** A row of `status --json` sessions, as the CLI prints it. */
type Row = SessionRow;

describe("registry sessions in status and sessions", () => {
  it("lists every session with its surface (by the default rules and the person's), state, branch and source", async () => {
    const root = makeTempDir("otto-registry-cli-");
    const home = join(root, "home");
    const otto = join(root, "otto-home");
    const envDir = join(root, "env-config");
    const prefsDir = join(root, "prefs-config");
    for (const d of [home, otto, join(envDir, "sessions"), join(prefsDir, "sessions")]) mkdirSync(d, { recursive: true });
    const repo = makeRepoWithoutOrigin();
    git(repo, ["checkout", "-qb", "feature/x"]);
    const sub = join(repo, "src");
    mkdirSync(sub);
    const write = (dir: string, fields: Record<string, unknown> & { pid: number }) =>
      writeFileSync(join(dir, "sessions", `${fields.pid}.json`), JSON.stringify({ sessionId: `s-${fields.pid}`, cwd: root, startedAt: Date.now(), pidDomain: ownPidDomain(), ...fields }));
    const terminal = liveChild();
    write(envDir, { ...terminal, cwd: sub, kind: "interactive", entrypoint: "cli", name: "repo-a", status: "waiting", waitingFor: "permission prompt", statusUpdatedAt: Date.now() - 5_000 });
    const printRun = liveChild();
    write(envDir, { ...printRun, kind: "print", entrypoint: "sdk-cli", status: "busy" });
    const desktop = liveChild();
    // Claude Desktop's own sessions cannot be observed here: a made-up record with another entrypoint.
    write(prefsDir, { ...desktop, kind: "interactive", entrypoint: "claude-desktop", status: "idle" });
    const zeta = liveChild();
    write(prefsDir, { ...zeta, cwd: join(root, "zeta", "work"), entrypoint: "cli", status: "busy" });
    // SIGKILLed: the record stays behind, its pid now another process's (another start time).
    const reused = liveChild();
    write(envDir, { pid: reused.pid, procStart: String(Number(reused.procStart) + 7), entrypoint: "cli", status: "busy" });
    // Busy, but its transcript has not grown for longer than hungAfterSeconds (600 by default): hung.
    const stuck = liveChild();
    write(envDir, { ...stuck, sessionId: "stuck-session", cwd: repo, entrypoint: "cli", status: "busy" });
    const transcript = transcriptPathOf(envDir, repo, "stuck-session");
    mkdirSync(join(transcript, ".."), { recursive: true });
    writeFileSync(transcript, "{}\n");
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(transcript, longAgo, longAgo);
    const config = join(root, "prefs.json");
    writeFileSync(config, JSON.stringify({ surfaces: ["otto-cli", "otto-desktop", "otto-launchd", "zeta"], claudeConfigDirs: [prefsDir], sessionRules: [{ surface: "zeta", cwdPrefix: join(root, "zeta") }] }));
    const env = { HOME: home, CLAUDE_CONFIG_DIR: envDir };
    const args = ["--home", otto, "--bus-dir", join(root, "bus"), "--config", config];

    const status = runCli(["status", "--json", ...args], { env });
    expect(status.code, status.stderr).toBe(0);
    const { sessions, sessionProblems } = JSON.parse(status.stdout) as { sessions: Row[]; sessionProblems: string[] };
    expect(sessionProblems).toEqual([]);
    const byPid = new Map(sessions.map((s) => [s.pid, s]));
    expect(byPid.get(terminal.pid)).toMatchObject({ surface: "otto-cli", state: "waiting", waitingFor: "permission prompt", name: "repo-a", cwd: sub, branch: "feature/x", source: ["registry"], sessionId: `s-${terminal.pid}` });
    expect(Date.parse(byPid.get(terminal.pid)?.since ?? "")).toBeLessThan(Date.now() - 4_000);
    expect(byPid.get(printRun.pid)).toMatchObject({ surface: "otto-launchd", state: "working", branch: null, waitingFor: null });
    expect(byPid.get(desktop.pid)).toMatchObject({ surface: "otto-desktop", state: "idle" });
    expect(byPid.get(zeta.pid)).toMatchObject({ surface: "zeta", state: "working" });
    expect(byPid.get(reused.pid)).toMatchObject({ state: "ended", since: null });
    expect(byPid.get(stuck.pid)).toMatchObject({ surface: "otto-cli", state: "hung", branch: "feature/x" });
    expect(sessions).toHaveLength(6);

    const listed = runCli(["sessions", "--json", ...args], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as (Row & { alive: boolean })[];
    expect(rows.map((r) => [r.pid, r.state, r.alive]).sort()).toEqual(sessions.map((s) => [s.pid, s.state, s.state !== "ended"]).sort());

    // A session whose surface is not watched (otto-cli here) is one of the "other sessions": surface null.
    writeFileSync(config, JSON.stringify({ surfaces: ["otto-desktop"], claudeConfigDirs: [prefsDir] }));
    const others = JSON.parse(runCli(["status", "--json", ...args], { env }).stdout) as { sessions: Row[] };
    expect(others.sessions.find((s) => s.pid === zeta.pid)?.surface).toBeNull();
    expect(others.sessions.find((s) => s.pid === desktop.pid)?.surface).toBe("otto-desktop");

    const table = runCli(["status", ...args], { env });
    expect(table.stdout).toMatch(/waiting \d+s .*repo-a .*feature\/x +permission prompt/);
  });
});
