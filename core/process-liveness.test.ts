// Process liveness with pid-reuse detection: /proc start ticks on Linux, `ps -o lstart=` where there is no /proc (macOS).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../test-support/cli";
import { isProcessAlive, parseLstart, parsePsStatLstart, processRef, psStat } from "./process-liveness";

interface Samples {
  lstart: { source: string; output: string; unixSeconds: number }[];
  statLstart: { source: string; output: string; state: string; unixSeconds: number }[];
}
const samples = JSON.parse(readFileSync(join(FIXTURES, "ps-lstart", "samples.json"), "utf8")) as Samples;

function sleeper() {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  const pid = child.pid as number;
  const gone = new Promise((resolve) => child.on("exit", resolve));
  return { pid, kill: () => (child.kill("SIGKILL"), gone) };
}

describe("parseLstart (the macOS path's parser, fed real ps output)", () => {
  it.each(samples.lstart)("reads $source", ({ output, unixSeconds }) => {
    expect(parseLstart(output)).toBe(unixSeconds);
  });
  it.each(samples.statLstart)("reads state and start from $source", ({ output, state, unixSeconds }) => {
    expect(parsePsStatLstart(output)).toEqual({ state, startSeconds: unixSeconds });
  });
  it.each(["", "  \n", "garbage", "Sat Foo 21 18:58:56 2026", "Sat Nov 21 18:58 2026", "12345"])("rejects %j", (text) => {
    expect(parseLstart(text)).toBeUndefined();
  });
});

describe("ps start time on this machine", () => {
  it("parses what ps prints now for a live process, and agrees with /proc to the second", async () => {
    const p = sleeper();
    try {
      const raw = spawnSync("ps", ["-o", "lstart=", "-p", String(p.pid)], { encoding: "utf8", env: { ...process.env, TZ: "UTC", LC_ALL: "C" } }).stdout;
      const fromPs = parseLstart(raw);
      expect(fromPs, raw).toBeDefined();
      expect(psStat(p.pid)?.startSeconds).toBe(fromPs);
      // /proc: field 22 is the start in clock ticks after boot (btime in /proc/stat).
      const ticks = Number(readFileSync(`/proc/${p.pid}/stat`, "utf8").split(") ")[1]?.split(" ")[19]);
      const btime = Number(/btime (\d+)/.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
      const hz = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim());
      expect(Math.abs((fromPs ?? 0) - (btime + ticks / hz))).toBeLessThanOrEqual(1);
    } finally {
      await p.kill();
    }
  });

  it("a ps-recorded holder is alive while it runs, not after, and a reused pid (another start time) is not it", async () => {
    const p = sleeper();
    const ref = processRef(p.pid, "ps");
    expect(ref.start).toMatch(/^lstart:\d+$/);
    expect(isProcessAlive(ref)).toBe(true);
    // The same pid with a start time an hour earlier is what pid reuse looks like.
    const earlier = Number(ref.start?.slice("lstart:".length)) - 3600;
    expect(isProcessAlive({ pid: p.pid, start: `lstart:${earlier}` })).toBe(false);
    await p.kill();
    expect(isProcessAlive(ref)).toBe(false);
  });

  it("a /proc-recorded holder sees pid reuse the same way", async () => {
    const p = sleeper();
    const ref = processRef(p.pid, "proc");
    expect(ref.start).toMatch(/^\d+$/);
    expect(isProcessAlive(ref)).toBe(true);
    expect(isProcessAlive({ pid: p.pid, start: String(Number(ref.start) - 1) })).toBe(false);
    await p.kill();
    expect(isProcessAlive(ref)).toBe(false);
  });
});
