// Which processes work in a directory: /proc on Linux, `lsof -Fpn` output elsewhere (recorded samples, and the installed lsof's real output).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import { parseLsofCwd, processesWorkingIn } from "./process-cwd";

interface LsofSample {
  source: string;
  output: string;
  dir: string;
  expectedPids: number[];
  parsed: [number, string][];
}

// One captured on Linux, one written by hand in the macOS format (each says which in the fixture).
const samples = (JSON.parse(readFileSync(join(FIXTURES, "lsof", "cwd-samples.json"), "utf8")) as { samples: LsofSample[] }).samples;

describe("processesWorkingIn", () => {
  it.each(samples.map((s) => [s.source, s] as const))("reads lsof's field output (%s): pids whose cwd is the directory or below it", (_source, sample) => {
    expect(parseLsofCwd(sample.output).map((p) => [p.pid, p.cwd])).toEqual(sample.parsed);
    expect(processesWorkingIn(sample.dir, parseLsofCwd(sample.output))).toEqual(sample.expectedPids);
  });

  it.skipIf(!hasLsof())("finds a live child in real lsof output (the macOS path)", async () => {
    const dir = makeTempDir();
    const child = spawn("sleep", ["60"], { cwd: dir, stdio: "ignore" });
    await new Promise((resolve) => child.on("spawn", resolve));
    try {
      let text = "";
      try {
        text = execFileSync("lsof", ["-nP", "-w", "-d", "cwd", "-Fpn"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      } catch (error) {
        text = String((error as { stdout?: unknown }).stdout ?? "");
      }
      expect(processesWorkingIn(dir, parseLsofCwd(text))).toContain(child.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it.skipIf(!existsSync("/proc/self/cwd"))("sees a live child working in a directory (Linux /proc)", async () => {
    const dir = makeTempDir();
    const child = spawn("sleep", ["60"], { cwd: dir, stdio: "ignore" });
    await new Promise((resolve) => child.on("spawn", resolve));
    try {
      expect(processesWorkingIn(dir)).toContain(child.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

function hasLsof(): boolean {
  try {
    execFileSync("lsof", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
