// Benchmark: pool allocate+release from a warm pool vs `git worktree add`+`remove` on a ≥20,000-file repository, in-process and as whole CLI processes; prints one JSON object.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { intEnv, percentile } from "./stats";

// Sizes and counts; every one can be changed by an environment variable. A fresh worktree of 20,000 files
// takes seconds, an allocation tens of milliseconds, so the baseline gets fewer samples than the pool.
const FILES = intEnv("POOL_BENCH_FILES", 20_000);
/** Pool allocate+release samples at concurrency 1. */
const ITERATIONS = intEnv("POOL_BENCH_ITERATIONS", 30);
/** Pool rounds per allocator at the higher concurrency (samples = rounds × concurrency). */
const ROUNDS = intEnv("POOL_BENCH_ROUNDS", 4);
/** Baseline worktree add+remove samples at concurrency 1. */
const BASELINE_ITERATIONS = intEnv("POOL_BENCH_BASELINE_ITERATIONS", 5);
/** Baseline rounds per allocator at the higher concurrency. */
const BASELINE_ROUNDS = intEnv("POOL_BENCH_BASELINE_ROUNDS", 1);
const CONCURRENCY = intEnv("POOL_BENCH_CONCURRENCY", 8);
const WARMUP = intEnv("POOL_BENCH_WARMUP", 2);
const KEEP = process.env.POOL_BENCH_KEEP === "1";

const GOALS = { inProcess: 10, wholeProcess: 3 } as const;
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_BIN = join(REPO_ROOT, "bin", "otto-tray");
const IDENTITY = "bench";

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Otto Bench",
  GIT_AUTHOR_EMAIL: "otto-bench@example.invalid",
  GIT_COMMITTER_NAME: "Otto Bench",
  GIT_COMMITTER_EMAIL: "otto-bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};


function log(message: string): void {
  process.stderr.write(`[pool.bench] ${message}\n`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to completion without blocking the event loop. */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return runWithInput(command, args, cwd, "", {});
}

async function must(command: string, args: string[], cwd: string): Promise<string> {
  const r = await run(command, args, cwd);
  if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

function gitVersion(): Promise<string> {
  return new Promise((resolve) => execFile("git", ["--version"], (_e, out) => resolve(String(out).trim())));
}

// ---------------------------------------------------------------------------------------------
// The generated repository: FILES files in directories of 100, committed once, pushed to a bare
// origin. Cached under the system temporary directory, keyed by its parameters; built in a
// scratch directory and renamed into place only when complete, so an interrupted build is redone.

const GENERATOR_VERSION = 1;

async function cachedOrigin(): Promise<string> {
  const cache = join(tmpdir(), `otto-pool-bench-v${GENERATOR_VERSION}-files${FILES}`);
  const origin = join(cache, "origin.git");
  if (existsSync(join(cache, "READY"))) {
    const ok = await run("git", ["--git-dir", origin, "rev-parse", "--verify", "-q", "refs/heads/main"], tmpdir());
    if (ok.code === 0) {
      log(`using cached repository ${cache}`);
      return origin;
    }
    rmSync(cache, { recursive: true, force: true });
  }
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "otto-pool-bench-build-"));
  const work = join(scratch, "work");
  const perDir = 100;
  for (let i = 0; i < FILES; i++) {
    const dir = join(work, "src", `m${String(Math.floor(i / perDir)).padStart(4, "0")}`);
    if (i % perDir === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${String(i).padStart(6, "0")}.ts`), `// generated file ${i}\nexport const value${i} = ${i};\n${"x".repeat(i % 200)}\n`);
  }
  writeFileSync(join(work, "README.md"), `generated: ${FILES} files\n`);
  await must("git", ["init", "-q", "-b", "main", work], scratch);
  await must("git", ["add", "-A"], work);
  // No automatic gc: it would run detached while the scratch work tree is being deleted.
  await must("git", ["-c", "gc.auto=0", "-c", "maintenance.auto=false", "commit", "-q", "-m", `generated ${FILES} files`], work);
  await must("git", ["init", "-q", "--bare", "-b", "main", join(scratch, "origin.git")], scratch);
  await must("git", ["push", "-q", join(scratch, "origin.git"), "main"], work);
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
  writeFileSync(join(scratch, "READY"), `${new Date().toISOString()}\n`);
  rmSync(cache, { recursive: true, force: true });
  try {
    renameSync(scratch, cache);
  } catch {
    // Another run put it there first: use theirs.
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`generated ${FILES} files in ${((Date.now() - started) / 1000).toFixed(1)} s → ${cache}`);
  return origin;
}

// ---------------------------------------------------------------------------------------------
// Measurement.

interface Stats {
  n: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}


function stats(samples: number[], failures: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { n: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), failures };
}

/** Runs `op` `rounds` times in each of `concurrency` parallel loops; collects wall times of successful runs. */
async function measure(concurrency: number, rounds: number, op: (worker: number, round: number) => Promise<void>): Promise<Stats> {
  const samples: number[] = [];
  let failures = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let round = 0; round < rounds; round++) {
        const t0 = performance.now();
        try {
          await op(worker, round);
          samples.push(performance.now() - t0);
        } catch (error) {
          failures++;
          if (errors.length < 3) errors.push(String(error instanceof Error ? error.message : error).slice(0, 400));
        }
      }
    }),
  );
  for (const e of errors) log(`failure: ${e}`);
  return stats(samples, failures);
}

// ---------------------------------------------------------------------------------------------
// The two sides.

interface Setup {
  repo: string;
  poolRoot: string;
  home: string;
  baselineRoot: string;
}

let baselineCounter = 0;

/** Baseline: a fresh worktree of the base, then its removal (git as a child process, as any caller must). */
async function baselineAddRemove(setup: Setup): Promise<void> {
  const path = join(setup.baselineRoot, `wt-${baselineCounter++}`);
  await must("git", ["worktree", "add", "-q", "--detach", path, "origin/main"], setup.repo);
  await must("git", ["worktree", "remove", path], setup.repo);
}

function cliArgs(setup: Setup, sub: string, rest: string[]): string[] {
  return [CLI_BIN, "pool", sub, "--repo", setup.repo, "--pool-root", setup.poolRoot, "--home", setup.home, ...rest];
}

/** Whole process: `otto-tray pool allocate` then `otto-tray pool release`, each a new node process. */
async function cliAllocateRelease(setup: Setup): Promise<void> {
  const out = await must(process.execPath, cliArgs(setup, "allocate", ["--identity", IDENTITY, "--wait", "60", "--json"]), setup.repo);
  const lease = JSON.parse(out) as { leaseId: string };
  await must(process.execPath, cliArgs(setup, "release", ["--identity", IDENTITY, "--lease", lease.leaseId]), setup.repo);
}

interface PoolLibrary {
  allocateRelease(): Promise<void>;
}

/** The library API of core/pool/index.ts, called in this process. */
async function loadLibrary(setup: Setup): Promise<PoolLibrary> {
  const lib = (await import("../core/pool/index")) as unknown as Record<string, unknown>;
  const allocate = lib.allocate as ((options: Record<string, unknown>) => Promise<{ leaseId: string; path: string }>) | undefined;
  const release = lib.release as ((options: Record<string, unknown>) => Promise<unknown>) | undefined;
  if (typeof allocate !== "function" || typeof release !== "function") {
    throw new Error(`core/pool/index.ts does not export allocate and release (exports: ${Object.keys(lib).join(", ")})`);
  }
  const common = { repo: setup.repo, poolRoot: setup.poolRoot, identity: IDENTITY };
  return {
    async allocateRelease() {
      const lease = await allocate({ ...common, waitSeconds: 60 });
      await release({ ...common, leaseId: lease.leaseId });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// `claude --worktree`: the WorktreeCreate step alone, as Claude Code runs it (a new `otto-tray hook
// worktree-create` process fed the event on stdin) vs `git worktree add -b NAME` of a new branch.

/** WorktreeCreate samples per side (the baseline checks out every file each time). */
const WORKTREE_ITERATIONS = intEnv("POOL_BENCH_WORKTREE_ITERATIONS", 5);
const WORKTREE_GOAL = 10;
const WORKTREE_IDENTITY = "bench-wt";

/** Runs a process with `input` on stdin and extra environment; resolves when it ends. */
function runWithInput(command: string, args: string[], cwd: string, input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...GIT_ENV, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: stderr + String(error) }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function worktreeCreateStep(setup: Setup): Promise<{ pool: Stats; baseline: Stats; ratioP50: number; pass: boolean }> {
  // The hook finds the pool at its default root under $HOME, as it does for a person.
  const env = { HOME: setup.home };
  const hookArgs = (hook: string) => [CLI_BIN, "hook", hook, "--surface", WORKTREE_IDENTITY, "--pid", String(process.pid), "--home", setup.home];
  const init = await runWithInput(process.execPath, [CLI_BIN, "pool", "init", "--repo", setup.repo, "--identity", WORKTREE_IDENTITY, "--size", "2", "--home", setup.home], setup.repo, "", env);
  if (init.code !== 0) throw new Error(`pool init for the WorktreeCreate step failed: ${init.stderr}`);
  const poolSamples: number[] = [];
  const baselineSamples: number[] = [];
  let failures = 0;
  for (let i = -1; i < WORKTREE_ITERATIONS; i++) {
    const name = `wt-bench-${i + 1}`;
    const event = (extra: Record<string, unknown>) => JSON.stringify({ session_id: `bench-${i + 1}`, transcript_path: "/dev/null", ...extra });
    const t0 = performance.now();
    const made = await runWithInput(process.execPath, hookArgs("worktree-create"), setup.repo, event({ cwd: setup.repo, hook_event_name: "WorktreeCreate", name }), env);
    const elapsed = performance.now() - t0;
    const path = made.stdout.trim();
    if (made.code !== 0 || path === "") {
      failures++;
      log(`worktree-create failed: ${made.stderr.trim()}`);
      continue;
    }
    // i = -1 warms up (page cache, node's module cache); not counted.
    if (i >= 0) poolSamples.push(elapsed);
    const removed = await runWithInput(process.execPath, hookArgs("worktree-remove"), path, event({ cwd: path, hook_event_name: "WorktreeRemove", worktree_path: path }), env);
    if (removed.code !== 0) throw new Error(`worktree-remove failed: ${removed.stderr}`);

    const wt = join(setup.baselineRoot, name);
    const b0 = performance.now();
    await must("git", ["worktree", "add", "-q", "-b", `base-${name}`, wt, "origin/main"], setup.repo);
    if (i >= 0) baselineSamples.push(performance.now() - b0);
    await must("git", ["worktree", "remove", wt], setup.repo);
    await must("git", ["branch", "-q", "-D", `base-${name}`], setup.repo);
  }
  const pool = stats(poolSamples, failures);
  const baseline = stats(baselineSamples, 0);
  const ratioP50 = pool.p50Ms > 0 ? Math.round((baseline.p50Ms / pool.p50Ms) * 100) / 100 : Number.NaN;
  return { pool, baseline, ratioP50, pass: ratioP50 >= WORKTREE_GOAL && failures === 0 };
}

// ---------------------------------------------------------------------------------------------

interface Scenario {
  concurrency: number;
  pool: Stats;
  baseline: Stats;
  ratioP50: number;
}

function scenario(concurrency: number, pool: Stats, baseline: Stats): Scenario {
  const ratio = pool.p50Ms > 0 ? baseline.p50Ms / pool.p50Ms : Number.NaN;
  return { concurrency, pool, baseline, ratioP50: Math.round(ratio * 100) / 100 };
}

async function main(): Promise<void> {
  const totalStart = Date.now();
  const origin = await cachedOrigin();
  const root = realpathSync(mkdtempSync(join(tmpdir(), "otto-pool-bench-run-")));
  const setup: Setup = {
    repo: join(root, "repo"),
    poolRoot: join(root, "pool"),
    home: join(root, "home"),
    baselineRoot: join(root, "baseline"),
  };
  mkdirSync(setup.home);
  mkdirSync(setup.baselineRoot);
  try {
    await must("git", ["clone", "-q", origin, setup.repo], root);
    const poolSize = Math.min(8, Math.max(1, CONCURRENCY));
    let t0 = Date.now();
    await must(process.execPath, cliArgs(setup, "init", ["--identity", IDENTITY, "--size", String(poolSize)]), setup.repo);
    log(`pool of ${poolSize} initialized in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const lib = await loadLibrary(setup);

    // Warm both sides (page cache, the pool's first fetch/refresh, node's module cache).
    for (let i = 0; i < WARMUP; i++) {
      await lib.allocateRelease();
      await cliAllocateRelease(setup);
    }
    await baselineAddRemove(setup);

    // The baseline is git as a child process whichever way the pool is called, so one measurement per
    // concurrency serves both the in-process and the whole-process comparison.
    const baselines = new Map<number, Stats>();
    for (const concurrency of [1, CONCURRENCY]) {
      t0 = Date.now();
      const rounds = concurrency === 1 ? BASELINE_ITERATIONS : BASELINE_ROUNDS;
      const baseline = await measure(concurrency, rounds, () => baselineAddRemove(setup));
      baselines.set(concurrency, baseline);
      log(`baseline c${concurrency}: p50 ${baseline.p50Ms} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const scenarios: Record<string, Scenario> = {};
    const plan: { name: string; concurrency: number; rounds: number; pool: () => Promise<void> }[] = [
      { name: "inProcess.c1", concurrency: 1, rounds: ITERATIONS, pool: () => lib.allocateRelease() },
      { name: `inProcess.c${CONCURRENCY}`, concurrency: CONCURRENCY, rounds: ROUNDS, pool: () => lib.allocateRelease() },
      { name: "wholeProcess.c1", concurrency: 1, rounds: ITERATIONS, pool: () => cliAllocateRelease(setup) },
      { name: `wholeProcess.c${CONCURRENCY}`, concurrency: CONCURRENCY, rounds: ROUNDS, pool: () => cliAllocateRelease(setup) },
    ];
    for (const step of plan) {
      t0 = Date.now();
      const pool = await measure(step.concurrency, step.rounds, () => step.pool());
      const baseline = baselines.get(step.concurrency) as Stats;
      scenarios[step.name] = scenario(step.concurrency, pool, baseline);
      log(`${step.name}: pool p50 ${pool.p50Ms} ms, baseline p50 ${baseline.p50Ms} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }

    t0 = Date.now();
    const worktreeCreate = await worktreeCreateStep(setup);
    log(`worktreeCreate: hook p50 ${worktreeCreate.pool.p50Ms} ms, git worktree add -b p50 ${worktreeCreate.baseline.p50Ms} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    const goal = (kind: "inProcess" | "wholeProcess") => {
      const entries = Object.entries(scenarios).filter(([name]) => name.startsWith(`${kind}.`));
      const ratios = Object.fromEntries(entries.map(([name, s]) => [name, s.ratioP50]));
      const pass = entries.every(([, s]) => s.ratioP50 >= GOALS[kind] && s.pool.failures === 0);
      return { goalRatioP50: GOALS[kind], ratios, pass };
    };
    const result = {
      benchmark: "pool",
      what: "allocate+release from a warm pool vs git worktree add+remove of a fresh worktree (ms per pair)",
      repository: { files: FILES + 1 },
      settings: {
        poolIterations: ITERATIONS,
        poolRoundsPerAllocator: ROUNDS,
        baselineIterations: BASELINE_ITERATIONS,
        baselineRoundsPerAllocator: BASELINE_ROUNDS,
        concurrency: CONCURRENCY,
        warmup: WARMUP,
        poolSize,
      },
      notes: [
        "pool: allocate (reset to origin/main) + release of a warm sidetick; baseline: git worktree add --detach origin/main + git worktree remove",
        "inProcess calls allocate/release of core/pool/index.ts; wholeProcess runs bin/otto-tray pool allocate and pool release as new processes",
        "the baseline runs git as child processes either way; one measurement per concurrency serves both comparisons",
        "one identity with a pool of min(8, concurrency) sideticks, so concurrent allocators contend on locks, not on free sideticks",
      ],
      machine: { cpus: cpus().length, node: process.version, git: await gitVersion(), platform: process.platform },
      scenarios,
      worktreeCreate: {
        what: "the WorktreeCreate step alone: otto-tray hook worktree-create (a new process, event on stdin, warm pool of 2) vs git worktree add -b NAME of origin/main (ms)",
        iterations: WORKTREE_ITERATIONS,
        ...worktreeCreate,
        goalRatioP50: WORKTREE_GOAL,
      },
      goals: { inProcess: goal("inProcess"), wholeProcess: goal("wholeProcess"), worktreeCreate: { goalRatioP50: WORKTREE_GOAL, ratio: worktreeCreate.ratioP50, pass: worktreeCreate.pass } },
      totalSeconds: Math.round((Date.now() - totalStart) / 100) / 10,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (KEEP) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`pool.bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
