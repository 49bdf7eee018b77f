// Benchmark: `npm start` to the dashboard's URL — a first start (no build stamps: every build runs), a second start with
// nothing changed (no build runs), and the old way (`npm run build` then the launcher) — medians over rounds; one JSON object.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { intEnv, round, summarize } from "./stats";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRATCH = mkdtempSync(join(tmpdir(), "otto-start-bench-"));

const ROUNDS = intEnv("START_BENCH_ROUNDS", 3);
const GOAL_SECOND_START_MS = 3_000;
const log = (m: string) => process.stderr.write(`bench:start: ${m}\n`);

const VARIANTS = {
  /** No stamps: what the first `npm start` on a fresh clone (or after a change to every build's inputs) does. */
  firstStart: { clearStamps: true, script: "start" },
  /** Stamps current: a second `npm start` with nothing changed. */
  secondStart: { clearStamps: false, script: "start" },
  /** What `npm start` did before: `npm run build && node scripts/start.mjs`. */
  buildEverything: { clearStamps: false, script: "build-then-start" },
} as const;

/** Runs one start, returns milliseconds to the URL line on stdout, then SIGTERMs npm (its pid only) and waits for every process holding the output to end. */
async function timeToUrl(variant: (typeof VARIANTS)[keyof typeof VARIANTS]): Promise<number> {
  if (variant.clearStamps) rmSync(join(REPO_ROOT, "dist", ".build-stamps"), { recursive: true, force: true });
  const run = mkdtempSync(join(SCRATCH, "run-"));
  const bus = join(run, "bus");
  const home = join(run, "home");
  for (const dir of [bus, home]) mkdirSync(dir, { mode: 0o700 });
  const serveArgs = ["--port", "0", "--home", home, "--bus-dir", bus];
  const env = { ...process.env, OTTO_TRAY_DASHBOARD: "1" };
  const started = performance.now();
  const child =
    variant.script === "start"
      ? spawn("npm", ["start", "--silent", "--", ...serveArgs], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "inherit"] })
      : spawn("sh", ["-c", `npm run build --silent && node scripts/start.mjs ${serveArgs.join(" ")}`], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  let elapsed: number | undefined;
  const closed = new Promise<void>((resolve) => child.stdout?.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error("no dashboard URL within 120 s")), 120_000);
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (elapsed === undefined && /Dashboard: http/.test(stdout)) {
        elapsed = performance.now() - started;
        clearTimeout(deadline);
        resolve();
      }
    });
    child.on("exit", () => elapsed === undefined && reject(new Error(`exited before the URL: ${stdout}`)));
  });
  // The build-then-start variant has no npm at the top: its shell stands in for it (the launcher watches its parent).
  process.kill(child.pid as number, "SIGTERM");
  await closed;
  return elapsed as number;
}

const samples: Record<keyof typeof VARIANTS, number[]> = { firstStart: [], secondStart: [], buildEverything: [] };
// Interleaved rounds so each variant sees the same machine load; the second start follows a first start (stamps fresh).
for (let round = 0; round < ROUNDS; round++) {
  for (const name of ["firstStart", "secondStart", "buildEverything"] as const) {
    const ms = await timeToUrl(VARIANTS[name]);
    samples[name].push(ms);
    log(`round ${round + 1}/${ROUNDS}: ${name} ${Math.round(ms)} ms`);
  }
}

rmSync(SCRATCH, { recursive: true, force: true });
const summary = Object.fromEntries(Object.entries(samples).map(([name, values]) => [`${name}Ms`, summarize(values, 0)]));
const secondMedian = summarize(samples.secondStart, 0).p50;
process.stdout.write(
  `${JSON.stringify({ rounds: ROUNDS, ...summary, goal: { secondStartMedianMsBelow: GOAL_SECOND_START_MS }, speedup: round(summarize(samples.buildEverything, 0).p50 / secondMedian, 1), pass: secondMedian < GOAL_SECOND_START_MS }, null, 2)}\n`,
);
