// `otto-tray hook` ends whatever happens (the built CLI, a real process): exit 0, a log line saying why.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, runCliAsync } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const STOP = readFileSync(join(FIXTURES, "claude-code", "hook-events", "stop.json"), "utf8");

function logLines(home: string): { level: string; message: string; code?: string }[] {
  const file = join(home, "logs", "hook.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { level: string; message: string });
}

describe("hook deadline", () => {
  // Node's recursive mkdir loops at full CPU on /proc/nope; the old handler never ended.
  it("a bus under /proc: ends, exits 0, prints nothing, and logs why nothing was published", async () => {
    const home = join(makeTempDir("otto-hook-deadline-"), "home");
    const result = await runCliAsync(["hook", "--surface", "otto-cli", "--pid", "4242", "--bus-dir", "/proc/nope", "--home", home], { input: STOP, timeoutMs: 20_000 });
    expect(result).toMatchObject({ code: 0, signal: null, stdout: "", stderr: "" });
    expect(logLines(home).some((line) => line.level === "error" && /cannot publish the heartbeat/.test(line.message))).toBe(true);
  }, 30_000);

  it("something that never returns: the hard deadline ends the handler with exit 0 and logs where it was stuck", async () => {
    const home = join(makeTempDir("otto-hook-deadline-"), "home");
    // A stdin that never closes, with the stdin bound raised past the deadline (up to 60 s is accepted).
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--bus-dir", join(home, "bus"), "--home", home], {
      env: { ...process.env, OTTO_TRAY_HOOK_TIMEOUT_MS: "60000" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdin.write(STOP.slice(0, 20));
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
    clearTimeout(killer);
    child.stdin.destroy();
    expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: "" });
    expect(logLines(home)).toMatchObject([{ level: "error", code: "EDEADLINE", message: expect.stringMatching(/deadline.*stuck reading the event on stdin/) }]);
  }, 30_000);
});
