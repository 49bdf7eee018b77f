// The session registry reader on real files in temp config dirs, with real processes for liveness.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { claudeConfigDirs } from "./config-dirs";
import { isRecordLive, ownPidDomain, procStartOf } from "./liveness";
import { MAX_SESSION_RECORDS, readRegistry } from "./registry";

const OTHER_UID = 65534;
const isRoot = process.getuid?.() === 0;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
});

/** A real process that lives until the test file ends. */
function liveChild(): number {
  const child = spawn("sleep", ["300"], { stdio: "ignore" });
  children.push(child);
  if (child.pid === undefined) throw new Error("sleep did not start");
  return child.pid;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn("true", [], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (child.pid === undefined) throw new Error("true did not start");
  return child.pid;
}

function configDir(): string {
  const dir = join(makeTempDir("otto-sessions-"), "claude-config");
  mkdirSync(join(dir, "sessions"), { recursive: true });
  return dir;
}

function record(pid: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { pid, sessionId: `session-${pid}`, cwd: "/tmp/repo", startedAt: Date.now(), kind: "interactive", entrypoint: "cli", status: "idle", ...fields };
}

function write(dir: string, pid: number, value: unknown): string {
  const file = join(dir, "sessions", `${pid}.json`);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

describe("the session registry", () => {
  it("reads the records of every config dir, and a live pid with its own start time is live", () => {
    const a = configDir();
    const b = configDir();
    const pid = liveChild();
    const procStart = procStartOf(pid)?.start;
    expect(procStart).toBeDefined();
    write(a, pid, record(pid, { procStart, pidDomain: ownPidDomain(), name: "repo-a1", status: "waiting", waitingFor: "permission prompt", version: "2.1.330", futureField: { any: 1 } }));
    const older = liveChild();
    // An older version: only the three fields every version writes.
    write(b, older, { pid: older, sessionId: "old", cwd: "/tmp/old" });
    const read = readRegistry([a, b]);
    expect(read.problems).toEqual([]);
    expect(read.sessions.map((s) => ({ pid: s.record.pid, live: s.live, dir: s.configDir }))).toEqual([
      { pid, live: true, dir: a },
      { pid: older, live: true, dir: b },
    ]);
    expect(read.sessions[0]?.record).toMatchObject({ status: "waiting", waitingFor: "permission prompt", name: "repo-a1" });
    expect(read.sessions[0]?.record).not.toHaveProperty("futureField");
  });

  it("a dead pid, a reused pid (another start time) and another pid domain are not live", async () => {
    const dir = configDir();
    const dead = await deadPid();
    write(dir, dead, record(dead));
    const reused = liveChild();
    const start = procStartOf(reused)?.start ?? "0";
    write(dir, reused, record(reused, { procStart: String(Number(start) - 1) }));
    const elsewhere = liveChild();
    write(dir, elsewhere, record(elsewhere, { procStart: procStartOf(elsewhere)?.start, pidDomain: "linux:another-machine:pid:[1]" }));
    const live = new Map(readRegistry([dir]).sessions.map((s) => [s.record.pid, s.live]));
    expect(live.get(dead)).toBe(false);
    expect(live.get(reused)).toBe(false);
    expect(live.get(elsewhere)).toBe(false);
  });

  it("without /proc (macOS), startedAt is compared with ps's start time within a few seconds", () => {
    const pid = liveChild();
    expect(isRecordLive({ pid, sessionId: "s", cwd: "/", startedAt: Date.now() }, "ps")).toBe(true);
    expect(isRecordLive({ pid, sessionId: "s", cwd: "/", startedAt: Date.now() - 3_600_000 }, "ps")).toBe(false);
  });

  it("skips a torn record, a FIFO, a symlink and another user's record, saying why; never writes into sessions/", () => {
    const dir = configDir();
    const good = liveChild();
    write(dir, good, record(good));
    write(dir, 111111, '{"pid":111111,"sessionId":"torn","cw');
    execFileSync("mkfifo", [join(dir, "sessions", "222222.json")]);
    write(dir, 333333, { pid: 333333, cwd: "/no/session/id" });
    write(dir, 444444, record(555555));
    symlinkSync(join(dir, "sessions", `${good}.json`), join(dir, "sessions", "777777.json"));
    if (isRoot) chownSync(write(dir, 666666, record(666666)), OTHER_UID, OTHER_UID);
    writeFileSync(join(dir, "sessions", "notes.txt"), "not a record");
    const before = readdirSync(join(dir, "sessions")).map((n) => `${n}:${statSync(join(dir, "sessions", n)).mtimeMs}`);
    const read = readRegistry([dir]);
    expect(read.sessions.map((s) => s.record.pid)).toEqual([good]);
    const problems = read.problems.join("\n");
    expect(problems).toMatch(/111111\.json is not valid JSON/);
    expect(problems).toMatch(/222222\.json is not a regular file/);
    expect(problems).toMatch(/333333\.json is not a session record \(sessionId/);
    expect(problems).toMatch(/444444\.json names pid 555555/);
    expect(problems).toMatch(/777777\.json is a symlink/);
    if (isRoot) expect(problems).toMatch(/666666\.json is owned by uid 65534/);
    expect(readdirSync(join(dir, "sessions")).map((n) => `${n}:${statSync(join(dir, "sessions", n)).mtimeMs}`)).toEqual(before);
  });

  it("reads at most the bound of records and says so", () => {
    const dir = configDir();
    for (let i = 0; i < MAX_SESSION_RECORDS + 5; i++) write(dir, 900000 + i, record(900000 + i));
    const read = readRegistry([dir]);
    expect(read.sessions).toHaveLength(MAX_SESSION_RECORDS);
    expect(read.problems.join("\n")).toMatch(new RegExp(`more than ${MAX_SESSION_RECORDS} session records`));
  });

  it("a missing config dir is no session and no problem", () => {
    expect(readRegistry([join(makeTempDir(), "nowhere")])).toEqual({ sessions: [], problems: [] });
  });

  it("follows ~/.claude, $CLAUDE_CONFIG_DIR and the preferences' dirs, each once", () => {
    expect(claudeConfigDirs({ HOME: "/h", CLAUDE_CONFIG_DIR: "/c" }, ["/p", "/c", "/h/.claude"])).toEqual(["/h/.claude", "/c", "/p"]);
    expect(claudeConfigDirs({ HOME: "/h", CLAUDE_CONFIG_DIR: "" })).toEqual(["/h/.claude"]);
  });
});
