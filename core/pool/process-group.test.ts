// Process-group liveness on real processes: a group lives while any member does, via /proc and via ps (the macOS path), and a reused leader pid ends it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { processRef } from "../process-liveness";
import { waitUntil } from "../../test-support/pool-pressure";
import { type GroupSource, isGroupAlive, parsePsGroups } from "./process-group";

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
});

/** A shell leading its own group, with a background sleep in the same group; resolves once both run. */
async function groupWithBackgroundJob(): Promise<{ leader: number; job: number }> {
  const child = spawn("/bin/sh", ["-c", "sleep 1000 & echo $!; wait"], { stdio: ["ignore", "pipe", "ignore"], detached: true });
  started.push(child);
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  expect(await waitUntil(() => out.includes("\n"), 20_000)).toBe(true);
  return { leader: child.pid!, job: Number(out.trim()) };
}

const hasProc = (() => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();
const hasPs = spawnSync("ps", ["-A", "-o", "pid=", "-o", "pgid=", "-o", "stat="]).status === 0;
const sources: GroupSource[] = [...(hasProc ? (["proc"] as const) : []), ...(hasPs ? (["ps"] as const) : [])];

describe.each(sources)("isGroupAlive via %s", (via) => {
  it("lives while any member does (the leader killed, its background job still running), and ends with the last one", async () => {
    const { leader, job } = await groupWithBackgroundJob();
    const ref = processRef(leader, via);
    expect(isGroupAlive(ref, via)).toBe(true);
    process.kill(leader, "SIGKILL");
    // The job outlives its shell: the group still has a member.
    expect(isGroupAlive(ref, via)).toBe(true);
    process.kill(job, "SIGKILL");
    expect(await waitUntil(() => !isGroupAlive(ref, via), 20_000)).toBe(true);
  });

  it("a live leader with another start time is a reused pid: the recorded group is over", async () => {
    const { leader } = await groupWithBackgroundJob();
    const recordedLongAgo = via === "proc" ? { pid: leader, start: "1" } : { pid: leader, start: "lstart:1" };
    expect(isGroupAlive(recordedLongAgo, via)).toBe(false);
  });

  it("a group id nobody uses is not alive", () => {
    // The test's own pid is not a group id here (vitest's workers are not group leaders); a pid above pid_max never is.
    expect(isGroupAlive({ pid: 2 ** 22 + 1 }, via)).toBe(false);
  });
});

describe.skipIf(!hasPs)("parsePsGroups", () => {
  it("reads the real `ps -A -o pid= -o pgid= -o stat=` output: this process is in it with its group", async () => {
    const { leader, job } = await groupWithBackgroundJob();
    const text = spawnSync("ps", ["-A", "-o", "pid=", "-o", "pgid=", "-o", "stat="], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } }).stdout;
    const rows = parsePsGroups(text);
    expect(rows.find((r) => r.pid === process.pid)).toBeDefined();
    expect(rows.filter((r) => r.pgid === leader).map((r) => r.pid).sort((a, b) => a - b)).toEqual([leader, job].sort((a, b) => a - b));
  });
});
