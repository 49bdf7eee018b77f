// `otto-tray hook` with preferences it cannot use: the defaults' allowlist and blocklist may be wider than the
// person's, so a PermissionRequest is not awaited at all (no decision; Claude Code's dialog stays), and the log says why.
import { spawn } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function permissionRequest(project: string): string {
  const lines = readFileSync(join(FIXTURES, "claude-code-real", "walk-hooks.jsonl"), "utf8").trim().split("\n");
  const event = lines.map((l) => JSON.parse(l) as { stdin: Record<string, unknown> }).find((l) => l.stdin.hook_event_name === "PermissionRequest");
  if (event === undefined) throw new Error("no PermissionRequest recorded");
  return JSON.stringify({ ...event.stdin, cwd: project, tool_input: { command: "npm test" } });
}

describe("otto-tray hook with unusable preferences", () => {
  // An invalid actuator key, an unknown one (a typo), and one past the twenty problems named: each falls back alone, but
  // the actuator still answers nothing.
  const manyTypos = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`typo${i}`, i]));
  it.each([[{ actuator: { blocklist: "rm" } }], [{ quorumSize: 3, actuator: { blocklsit: ["rm"] } }], [{ ...manyTypos, actuator: { blocklsit: ["rm"] } }]])("does not wait for a plan on a PermissionRequest, prints no decision, and logs why (%j)", async (prefs) => {
    const home = makeTempDir();
    const bus = makeTempDir();
    chmodSync(bus, 0o700);
    expect(runCli(["actuator", "on", "--confirm", "--home", home, "--bus-dir", bus]).code).toBe(0);
    writeFileSync(join(home, "preferences.json"), JSON.stringify(prefs));
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stdin.end(permissionRequest(makeTempDir()));
    // Waiting for a plan would last permissionWaitSeconds (600 s): far past this test's own timeout.
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
    expect(readFileSync(join(home, "logs", "hook.log"), "utf8")).toMatch(/PermissionRequest not awaited: the preferences cannot be used/);
  }, 20_000);
});
