// `otto-tray doctor` names a live Claude Code session whose rule gives it another surface than its hooks were installed for (built CLI, real records, real processes).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownPidDomain, procStartOf } from "../../core/sessions/liveness";
import { REPO_ROOT, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
});

/** A real process standing in for Claude Code, with its record in `configDir` as Claude Code 2.1.330 writes it. */
function liveSession(configDir: string, fields: Record<string, unknown>): number {
  const child = spawn("sleep", ["300"], { stdio: "ignore" });
  children.push(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error("sleep did not start");
  mkdirSync(join(configDir, "sessions"), { recursive: true });
  const record = { pid, sessionId: `id-${pid}`, cwd: "/tmp", startedAt: Date.now(), procStart: procStartOf(pid)?.start, pidDomain: ownPidDomain(), kind: "interactive", status: "idle", ...fields };
  writeFileSync(join(configDir, "sessions", `${pid}.json`), JSON.stringify(record));
  return pid;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn("true", [], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (child.pid === undefined) throw new Error("true did not start");
  return child.pid;
}

function world() {
  const root = makeTempDir("otto-doctor-sessions-");
  const home = join(root, "home");
  const configDir = join(root, "claude");
  const settings = join(configDir, "settings.json");
  mkdirSync(configDir, { recursive: true });
  const run = (args: string[]) => runCli([...args, "--home", home], { env: { CLAUDE_CONFIG_DIR: configDir } });
  return { root, home, configDir, settings, run };
}

describe("otto-tray doctor and the surfaces of Claude Code sessions", () => {
  it("says when a live session's rule overrides the hooks installed for another surface, and the rule wins (exit 6)", async () => {
    const w = world();
    expect(w.run(["hooks", "install", "--surface", "otto-cli", "--settings", w.settings]).code).toBe(0);
    // An SDK run is otto-launchd by the default rules, while the hooks of its config dir were installed for otto-cli.
    const pid = liveSession(w.configDir, { entrypoint: "sdk-cli", name: "nightly" });
    // A terminal session agrees with its hooks, and an ended one is not checked.
    liveSession(w.configDir, { entrypoint: "cli", name: "term" });
    const dead = await deadPid();
    writeFileSync(join(w.configDir, "sessions", `${dead}.json`), JSON.stringify({ pid: dead, sessionId: "gone", cwd: "/tmp", entrypoint: "sdk-cli" }));

    const result = w.run(["doctor"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toBe(`- session nightly (pid ${pid}) is otto-launchd by rule (entrypoint sdk-cli) but its hooks in ${w.settings} were installed for otto-cli; the rule wins\n`);
    const json = JSON.parse(w.run(["doctor", "--json"]).stdout) as { hookRuleConflicts: unknown[] };
    expect(json.hookRuleConflicts).toEqual([{ pid, sessionId: `id-${pid}`, name: "nightly", entrypoint: "sdk-cli", surface: "otto-launchd", settingsFile: w.settings, hooksSurface: "otto-cli" }]);

    // Once the session's process is gone there is nothing to say.
    process.kill(pid, "SIGKILL");
    await new Promise((resolve) => children.find((c) => c.pid === pid)?.once("exit", resolve));
    expect(w.run(["doctor"])).toMatchObject({ code: 0, stdout: "no problems found\n" });
  });

  it("looks at the project settings an install was made into when the session works under that project, and names a session without a name by its id", () => {
    const w = world();
    const project = join(w.root, "project");
    const projectSettings = join(project, ".claude", "settings.json");
    mkdirSync(join(project, ".claude"), { recursive: true });
    writeFileSync(projectSettings, "{}\n");
    expect(w.run(["hooks", "install", "--surface", "otto-desktop", "--settings", projectSettings]).code).toBe(0);
    const pid = liveSession(w.configDir, { entrypoint: "cli", cwd: join(project, "src") });
    // Another session outside the project: those hooks do not fire for it.
    liveSession(w.configDir, { entrypoint: "cli", cwd: join(w.root, "elsewhere") });
    const result = w.run(["doctor"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toBe(`- session id-${pid} (pid ${pid}) is otto-cli by rule (entrypoint cli) but its hooks in ${projectSettings} were installed for otto-desktop; the rule wins\n`);
  });
});
