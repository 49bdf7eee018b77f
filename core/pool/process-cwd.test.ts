// Which processes work in a directory: /proc on Linux, `lsof -Fpn` output elsewhere (the format, and the installed lsof's real output).
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { parseLsofCwd, processesWorkingIn } from "./process-cwd";

describe("processesWorkingIn", () => {
  it("reads lsof's field output: pids whose cwd is the directory or below it", () => {
    // `lsof -nP -w -d cwd -Fpn` as macOS prints it: p<pid>, f<fd>, n<path> per process.
    const sample = ["p101", "fcwd", "n/Users/a/pool/otto-cli/sidetick-1", "p202", "fcwd", "n/Users/a/pool/otto-cli/sidetick-10", "p303", "fcwd", "n/Users/a/pool/otto-cli/sidetick-1/src", ""].join("\n");
    expect(processesWorkingIn("/Users/a/pool/otto-cli/sidetick-1", parseLsofCwd(sample))).toEqual([101, 303]);
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
