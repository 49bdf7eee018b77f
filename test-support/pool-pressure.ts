// Shared fixture for the pool's pressure tests: a repository with a bare origin, a pool root beside it, and `otto-tray pool` run as real processes.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { afterAll, expect } from "vitest";
import { type CliResult, CLI_BIN, REPO_ROOT, runCli, runCliAsync } from "./cli";
import type { PoolStatus, SidetickStatus } from "../core/pool/index";
import { git, GIT_TEST_ENV, makeRepoWithOrigin } from "./git";

export interface PoolFixture {
  root: string;
  origin: string;
  repo: string;
  /** Pool root outside the repository (`--pool-root`). */
  poolRoot: string;
  /** State directory (`--home`), so no test reads the user's preferences. */
  home: string;
}

/** A repository with an origin (a few files on main), an empty pool root and a state directory. */
export function makePoolFixture(files?: Record<string, string>): PoolFixture {
  const { root, origin, repo } = makeRepoWithOrigin(
    files ?? { "README.md": "pool pressure\n", "src/a.txt": "a\n", "src/b.txt": "b\n", "docs/c.md": "c\n" },
  );
  const poolRoot = join(root, "pool");
  const home = join(root, "home");
  mkdirSync(home, { recursive: true });
  return { root, origin, repo, poolRoot, home };
}

/** Environment for every pool process: deterministic git identity, no user configuration. */
export const POOL_ENV: NodeJS.ProcessEnv = { ...GIT_TEST_ENV, OTTO_TRAY_DEBUG: "1" };

/** `pool <sub> --repo R --pool-root P --home H ...rest` (the fixture's options come right after the subcommand, before any `--`). */
export function poolArgs(fx: PoolFixture, sub: string, rest: string[] = []): string[] {
  return ["pool", sub, "--repo", fx.repo, "--pool-root", fx.poolRoot, "--home", fx.home, ...rest];
}

export function pool(fx: PoolFixture, sub: string, rest: string[] = [], timeoutMs = 60_000): CliResult {
  return runCli(poolArgs(fx, sub, rest), { env: POOL_ENV, timeoutMs });
}

export function poolAsync(fx: PoolFixture, sub: string, rest: string[] = [], timeoutMs = 120_000): Promise<CliResult> {
  return runCliAsync(poolArgs(fx, sub, rest), { env: POOL_ENV, timeoutMs });
}

/** Describes a CLI run for assertion messages. */
export function describeRun(args: string[], r: CliResult): string {
  return `otto-tray ${args.join(" ")}\n→ code ${r.code} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** Runs a pool command and throws (with the command and its output) unless it exits 0. */
export function poolOk(fx: PoolFixture, sub: string, rest: string[] = []): CliResult {
  const r = pool(fx, sub, rest);
  if (r.code !== 0) throw new Error(`expected exit 0:\n${describeRun(poolArgs(fx, sub, rest), r)}`);
  return r;
}

// The contract's JSON shape is the pool's own status type: one definition for both.
export type { PoolStatus, SidetickState, SidetickStatus } from "../core/pool/index";

/** `pool status --json` parsed (throws with the output when it fails). */
export function poolStatus(fx: PoolFixture, identity?: string): PoolStatus {
  const rest = identity === undefined ? ["--json"] : ["--identity", identity, "--json"];
  const r = poolOk(fx, "status", rest);
  try {
    return JSON.parse(r.stdout) as PoolStatus;
  } catch {
    throw new Error(`pool status --json did not print JSON:\n${describeRun(poolArgs(fx, "status", rest), r)}`);
  }
}

/** The sideticks of one identity in a status. */
export function sideticksOf(status: PoolStatus, identity: string): SidetickStatus[] {
  const entry = status.identities.find((i) => i.identity === identity);
  if (entry === undefined) throw new Error(`status has no identity ${identity}: ${JSON.stringify(status)}`);
  return entry.sideticks;
}

export interface AllocateJson {
  path: string;
  identity: string;
  sidetick: string | number;
  leaseId: string;
  branch: string | null;
  head: string;
  base: string;
  expiresAt: string | null;
}

/** `pool allocate --json`; returns the parsed lease, or the raw result when the exit code is not 0. */
export function allocate(fx: PoolFixture, identity: string, extra: string[] = []): { lease?: AllocateJson; result: CliResult } {
  const result = pool(fx, "allocate", ["--identity", identity, "--json", ...extra]);
  if (result.code !== 0) return { result };
  return { lease: JSON.parse(result.stdout) as AllocateJson, result };
}

export interface WorktreeEntry {
  path: string;
  head?: string;
  branch?: string;
  detached: boolean;
  locked?: string;
  prunable?: string;
}

/** `git worktree list --porcelain`, parsed here independently of the pool's own parser. */
export function worktreeList(repo: string): WorktreeEntry[] {
  const out = git(repo, ["worktree", "list", "--porcelain"]);
  const entries: WorktreeEntry[] = [];
  for (const block of out.split(/\n\n+/)) {
    const entry: WorktreeEntry = { path: "", detached: false };
    for (const line of block.split("\n")) {
      const [key, ...restParts] = line.split(" ");
      const value = restParts.join(" ");
      if (key === "worktree") entry.path = value;
      else if (key === "HEAD") entry.head = value;
      else if (key === "branch") entry.branch = value;
      else if (key === "detached") entry.detached = true;
      else if (key === "locked") entry.locked = value;
      else if (key === "prunable") entry.prunable = value;
    }
    if (entry.path !== "") entries.push(entry);
  }
  return entries;
}

/** `git fsck --full` in the repository: throws with its output unless clean. */
export function fsckClean(repo: string): string {
  return git(repo, ["fsck", "--full", "--no-progress", "--no-dangling"]);
}

/** Whether a process exists (a zombie counts; only reaped processes are gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a process is running: exists and (on Linux, where /proc tells) is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return process.platform !== "linux";
  }
}

/** Whether any process of a process group exists. */
export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every 20 ms until it holds or `timeoutMs` passes (returns whether it held). */
export async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return true;
    if (Date.now() > end) return false;
    await sleep(20);
  }
}

// Every child a test spawns is tracked and its whole process group killed when the file ends.
const spawned = new Set<ChildProcess>();
const extraPids = new Set<number>();
afterAll(async () => {
  for (const child of spawned) {
    if (child.pid !== undefined) killQuietly(-child.pid, "SIGKILL");
    if (child.pid !== undefined) killQuietly(child.pid, "SIGKILL");
  }
  for (const pid of extraPids) killQuietly(pid, "SIGKILL");
  spawned.clear();
  extraPids.clear();
});

/** Also kill this pid when the test file ends (e.g. a command orphaned by a killed wrapper). */
export function trackPid(pid: number): void {
  extraPids.add(pid);
}

export function killQuietly(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code and signal once the process has exited and been reaped. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** Spawns a process in its own process group (so it and its children can be killed together). */
export function spawnTracked(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  spawned.add(child);
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
    child.on("error", () => resolve({ code: null, signal: null }));
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  return { child, pid: child.pid, exited, stdout: () => out, stderr: () => err };
}

/** Spawns `otto-tray pool <sub> ...` (the built CLI) in its own process group. */
export function spawnPool(fx: PoolFixture, sub: string, rest: string[] = []): Spawned {
  return spawnTracked(process.execPath, [CLI_BIN, ...poolArgs(fx, sub, rest)], { env: POOL_ENV });
}

/** A long-lived, harmless process to name as a lease's holder. */
export function spawnHolder(): Spawned {
  return spawnTracked(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"]);
}

/** Writes a script file once and returns its path. */
export function writeScript(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) writeFileSync(path, source);
  return path;
}

/** Doctor findings from `pool doctor --json`: any array of findings in its output, wherever the pool puts it. */
export function doctorFindings(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (json !== null && typeof json === "object") {
    const record = json as Record<string, unknown>;
    for (const key of ["problems", "findings", "issues", "broken"]) {
      const value = record[key];
      if (Array.isArray(value)) return value;
    }
    if (Array.isArray(record.identities)) return record.identities.flatMap((i) => doctorFindings(i));
  }
  return [];
}

/**
 * The pool is consistent: every sidetick free and listed, doctor finds nothing, every sidetick can be allocated
 * at once (clean, at the base) and not one more, no stray worktrees were left behind, fsck is clean.
 */
export function expectConsistent(fx: PoolFixture, identity: string, size: number): void {
  const sideticks = sideticksOf(poolStatus(fx), identity);
  expect(sideticks.map((s) => s.state), JSON.stringify(sideticks)).toEqual(Array(size).fill("free"));

  const doctorRest = ["--json"];
  const doctor = pool(fx, "doctor", doctorRest);
  const doctorRun = describeRun(poolArgs(fx, "doctor", doctorRest), doctor);
  expect(doctor.code, doctorRun).toBe(0);
  // A stale lease (its holder died) is a free sidetick by definition, not a broken one; anything else is.
  const broken = doctorFindings(JSON.parse(doctor.stdout)).filter((p) => (p as { problem?: string }).problem !== "stale-lease");
  expect(broken, doctorRun).toEqual([]);

  const base = git(fx.repo, ["rev-parse", "origin/main"]);
  const leases = [];
  for (let i = 0; i < size; i++) {
    const got = allocate(fx, identity, ["--wait", "0"]);
    expect(got.lease, describeRun(poolArgs(fx, "allocate", ["--identity", identity, "--wait", "0", "--json"]), got.result)).toBeDefined();
    if (got.lease === undefined) return;
    leases.push(got.lease);
    expect(git(got.lease.path, ["status", "--porcelain"]), `${got.lease.path} is not clean`).toBe("");
    expect(git(got.lease.path, ["rev-parse", "HEAD"]), `${got.lease.path} is not at the base`).toBe(base);
  }
  expect(new Set(leases.map((l) => l.path)).size).toBe(size);
  const extra = allocate(fx, identity, ["--wait", "0"]);
  expect(extra.result.code, describeRun(["allocate", "--wait", "0"], extra.result)).toBe(3);
  for (const l of leases) poolOk(fx, "release", ["--identity", identity, "--lease", l.leaseId]);

  const worktrees = worktreeList(fx.repo);
  const poolPaths = sideticks.map((s) => s.path);
  // Under the identity's directory exactly its sideticks: no half-made worktree left behind by a killed process.
  const mine = worktrees.filter((w) => w.path.startsWith(join(fx.poolRoot, identity) + sep));
  expect(mine.map((w) => w.path).sort()).toEqual([...poolPaths].sort());
  expect(worktrees.some((w) => w.path === fx.repo)).toBe(true);
  for (const w of mine) {
    expect(w.locked, `${w.path} lost its lock`).toBeDefined();
    expect(w.prunable, `${w.path} is prunable`).toBeUndefined();
    expect(existsSync(join(w.path, ".zeta-pool-owner")), `${w.path} lost its marker`).toBe(true);
  }
  fsckClean(fx.repo);
  expect(sideticksOf(poolStatus(fx), identity).map((s) => s.state)).toEqual(Array(size).fill("free"));
}

/**
 * The command each holder runs inside its sidetick. It creates `.stress-occupant` with O_EXCL (a second
 * occupant fails with EEXIST), holds it for a while, checks nobody replaced it, removes it, and appends one
 * record per cycle (path, lease, start, end) so overlaps can also be checked from the outside.
 * Exit 17: a collision; exit 18: any other broken promise (wrong cwd, no OTTO_POOL_PATH, ...).
 */
export const OCCUPANT_SCRIPT = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const [logDir, tag, holdMs, pathArg] = process.argv.slice(2);
const sidetick = pathArg || process.env.OTTO_POOL_PATH;
const lease = process.env.OTTO_POOL_LEASE || "(none)";
function record(kind, extra) {
  fs.appendFileSync(path.join(logDir, kind + "-" + tag + ".jsonl"), JSON.stringify({ tag, sidetick, lease, pid: process.pid, ...extra }) + "\n");
}
if (!sidetick) { record("problem", { problem: "OTTO_POOL_PATH is not set" }); process.exit(18); }
if (!pathArg) {
  if (fs.realpathSync(process.cwd()) !== fs.realpathSync(sidetick)) { record("problem", { problem: "cwd " + process.cwd() + " is not the sidetick" }); process.exit(18); }
  if (lease === "(none)") { record("problem", { problem: "OTTO_POOL_LEASE is not set" }); process.exit(18); }
}
const marker = path.join(sidetick, ".stress-occupant");
const token = tag + ":" + process.pid + ":" + lease;
let fd;
try {
  fd = fs.openSync(marker, "wx");
} catch (error) {
  let other = "";
  try { other = fs.readFileSync(marker, "utf8"); } catch {}
  record("collision", { code: error.code, other });
  process.exit(17);
}
fs.writeSync(fd, token);
fs.closeSync(fd);
const start = Date.now();
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdMs));
let now = "";
try { now = fs.readFileSync(marker, "utf8"); } catch (error) { now = "(gone: " + error.code + ")"; }
if (now !== token) { record("collision", { code: "REPLACED", other: now }); process.exit(17); }
const end = Date.now();
fs.unlinkSync(marker);
let branch = null;
if (process.env.OCCUPANT_RECORD_BRANCH === "1") {
  const r = require("node:child_process").spawnSync("git", ["symbolic-ref", "-q", "--short", "HEAD"], { cwd: sidetick, encoding: "utf8" });
  branch = r.status === 0 ? r.stdout.trim() : null;
}
record("cycle", { start, end, branch });
`;

export interface Cycle {
  tag: string;
  /** The checked-out branch (only with OCCUPANT_RECORD_BRANCH=1). */
  branch?: string | null;
  sidetick: string;
  lease: string;
  pid: number;
  start: number;
  end: number;
}

export function readRecords<T>(logDir: string, kind: string): T[] {
  const out: T[] = [];
  for (const name of readdirSync(logDir)) {
    if (!name.startsWith(`${kind}-`)) continue;
    for (const line of readFileSync(join(logDir, name), "utf8").split("\n")) if (line.trim() !== "") out.push(JSON.parse(line) as T);
  }
  return out;
}

/** Pairs of cycles that held the same sidetick at overlapping times (independent of the O_EXCL marker). */
export function overlaps(cycles: Cycle[]): string[] {
  const found: string[] = [];
  const byPath = new Map<string, Cycle[]>();
  for (const c of cycles) byPath.set(c.sidetick, [...(byPath.get(c.sidetick) ?? []), c]);
  for (const list of byPath.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      if (prev !== undefined && cur !== undefined && cur.start <= prev.end) found.push(`${JSON.stringify(prev)} overlaps ${JSON.stringify(cur)}`);
    }
  }
  return found;
}
