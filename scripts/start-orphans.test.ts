// `npm start` ended from outside, as a process manager or `kill %1` does: a real npm runs a script shaped like the real
// one (a shell with `&&`, then the launcher, which serves the dashboard); nothing is left serving once npm or its shell goes.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeBus } from "../test-support/bus";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const LAUNCHER = join(REPO_ROOT, "scripts", "start.mjs");
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

interface Row {
  pid: number;
  ppid: number;
  stat: string;
  args: string;
}

/** Every process on the machine (ps), zombies included (their stat starts with Z). */
function processes(): Row[] {
  const out = spawnSync("ps", ["-A", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" }).stdout;
  return out.split("\n").flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3] as string, args: m[4] as string }] : [];
  });
}

/** Whether PID is a live process (a zombie is not: it has ended, its parent just has not collected it). */
function alive(pid: number): boolean {
  const row = processes().find((p) => p.pid === pid);
  return row !== undefined && !row.stat.startsWith("Z");
}

/** Polls until none of PIDS is alive, or 20 s passed; returns those still alive. */
async function gone(...list: number[]): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    if (!list.some(alive)) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return list.filter(alive);
}

/** Runs `npm start` in a package whose start script is the real one's shape: a shell running `true && node start.mjs`. */
async function npmStart(): Promise<{ npm: ChildProcess; shell: number; launcher: number; serve: number }> {
  const dir = makeTempDir("otto-npm-start-");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "otto-start-shape", private: true, scripts: { start: `true && node ${JSON.stringify(LAUNCHER)}` } }));
  const { bus, home } = makeBus("otto-start-orphans-");
  const env = { ...process.env, OTTO_TRAY_DASHBOARD: "1", OTTO_TRAY_HOME: "", ZETA_BUS_DIR: "" };
  // Its own process group, as a terminal's job is: the test signals npm's pid alone, never the group.
  const npm = spawn("npm", ["start", "--silent", "--", "--port", "0", "--home", home, "--bus-dir", bus], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (npm.pid) pids.push(npm.pid);
  let stdout = "";
  let stderr = "";
  npm.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  npm.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  for (let i = 0; i < 300 && !/Dashboard: http/.test(stdout) && npm.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!/Dashboard: http/.test(stdout)) throw new Error(`npm start printed no dashboard URL; stderr: ${stderr}`);
  const rows = processes();
  // This npm's launcher: `node start.mjs` under npm's shell (not the shell itself, whose args hold the whole script).
  const shells = new Set(rows.filter((p) => p.ppid === npm.pid).map((p) => p.pid));
  const launcher = rows.find((p) => shells.has(p.ppid) && p.args.includes(LAUNCHER) && !p.args.includes("&&"));
  const serve = rows.find((p) => p.ppid === launcher?.pid);
  if (!launcher || !serve) throw new Error("could not find the launcher and its serve child");
  pids.push(launcher.ppid, launcher.pid, serve.pid);
  return { npm, shell: launcher.ppid, launcher: launcher.pid, serve: serve.pid };
}

describe("npm start ended from outside", () => {
  it("a SIGTERM to npm's pid ends the launcher and the dashboard it serves", async () => {
    const { npm, shell, launcher, serve } = await npmStart();
    process.kill(npm.pid as number, "SIGTERM");
    expect(await gone(shell, launcher, serve)).toEqual([]);
  });

  it("when the launcher's parent is killed outright, the launcher ends its child and exits", async () => {
    const { shell, launcher, serve } = await npmStart();
    process.kill(shell, "SIGKILL");
    expect(await gone(launcher, serve)).toEqual([]);
  });
});
