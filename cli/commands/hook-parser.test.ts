// The built CLI and the Bash parser: `actuator judge` and a PermissionRequest are judged through it (the reported
// attack is blocked for the rm on its second line), while `status` and the hook's heartbeat never load web-tree-sitter.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, REPO_ROOT, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const MODULE_LOG = join(REPO_ROOT, "test-support", "module-log.mjs");
const ATTACK = "npm test # run the tests\nrm -rf ../victim";

function setup() {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const project = makeTempDir();
  const log = join(makeTempDir(), "modules.log");
  const where = ["--home", home, "--bus-dir", bus];
  const cli = (...args: string[]) => runCli([...args, ...where]);
  /** The built CLI with every ES module it loads written to `log`. */
  const traced = (args: string[], input: string) =>
    spawnSync(process.execPath, ["--import", MODULE_LOG, CLI_BIN, ...args, ...where], { input, encoding: "utf8", timeout: 30_000, env: { ...process.env, OTTO_TRAY_MODULE_LOG: log } });
  const loaded = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []);
  return { home, bus, project, log, where, cli, traced, loaded };
}

const parserModules = (urls: string[]) => urls.filter((url) => url.includes("web-tree-sitter"));

function permissionRequest(project: string, command: string): string {
  return JSON.stringify({ session_id: "hook-parser-test", hook_event_name: "PermissionRequest", cwd: project, tool_name: "Bash", tool_input: { command, description: "Run the tests" } });
}

describe("the built CLI and the Bash parser", () => {
  it("dist/cli/main.js judges through the parser: actuator judge finds the rm behind the comment and blocks it", () => {
    const judged = spawnSync(process.execPath, [join(REPO_ROOT, "dist", "cli", "main.js"), "actuator", "judge", "--json", "--", ATTACK], { encoding: "utf8", timeout: 30_000 });
    expect(judged.status, judged.stderr).toBe(5);
    const result = JSON.parse(judged.stdout) as { verdict: string; commands: { program: string; verdict: string }[] };
    expect(result.verdict).toBe("blocked");
    expect(result.commands.map((c) => [c.program, c.verdict])).toEqual([
      ["npm", "allowed"],
      ["rm", "blocked"],
    ]);
  });

  it("judges a PermissionRequest through the parser: the comment does not hide the rm on the second line", async () => {
    const t = setup();
    expect(t.cli("actuator", "on", "--confirm").code).toBe(0);
    const child = spawn(process.execPath, ["--import", MODULE_LOG, CLI_BIN, "hook", "--surface", "otto-cli", ...t.where], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, OTTO_TRAY_MODULE_LOG: t.log } });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.end(permissionRequest(t.project, ATTACK));
    // The policy refuses the request, so the hook does not wait on it: it ends by itself, printing nothing, and the
    // audit says why (blocked for the rm on the second line).
    expect(await exited).toBe(0);
    const audit = JSON.parse(t.cli("audit", "--json").stdout) as { decision: string; reason: string }[];
    expect(audit.filter((e) => e.decision === "refused").map((e) => e.reason)).toContainEqual(expect.stringMatching(/blocked: .*\(rm\)/));
    // The hook itself loaded the parser for the prompt (the control for the heartbeat test below).
    expect(parserModules(t.loaded()).length).toBeGreaterThan(0);
    expect(stdout).toBe("");
  });

  it("status and the hook's heartbeat never load web-tree-sitter, with the switch off or on", () => {
    const t = setup();
    const event = readFileSync(join(FIXTURES, "claude-code", "hook-events", "post-tool-use.json"), "utf8");
    expect(t.traced(["hook", "--surface", "otto-cli"], event).status).toBe(0);
    expect(t.traced(["status"], "").status).toBe(0);
    expect(t.cli("actuator", "on", "--confirm").code).toBe(0);
    // With the switch on, every event goes through the actuator's hook step, which still judges nothing.
    expect(t.traced(["hook", "--surface", "otto-cli"], event).status).toBe(0);
    const urls = t.loaded();
    expect(urls.some((url) => url.endsWith("/dist/cli/main.js"))).toBe(true);
    expect(parserModules(urls)).toEqual([]);
    // The step ran (it noted the event as session progress) and published the heartbeat.
    expect(existsSync(join(t.home, "actuator", "progress", "9a1f3c2e-5b7d-4e60-8c21-0f4e6d2b1a99.jsonl"))).toBe(true);
    const status = JSON.parse(t.cli("status", "--json").stdout) as { surfaces: { id: string; lastHeartbeatAt: string | null }[] };
    expect(status.surfaces.find((s) => s.id === "otto-cli")?.lastHeartbeatAt).not.toBeNull();
  });
});
