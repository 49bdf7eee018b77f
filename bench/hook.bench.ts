// Benchmark: wall time of `otto-tray hook` (PostToolUse, Stop with a transcript, Gemini's BeforeAgent and AfterAgent with its chat file) against `node -e 0`, interleaved; prints one JSON object.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { intEnv, percentile } from "./stats";

const RUNS = intEnv("HOOK_BENCH_RUNS", 30);
const WARMUP = intEnv("HOOK_BENCH_WARMUP", 3);
const GOAL_RATIO = 3;

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_BIN = join(REPO_ROOT, "bin", "otto-tray");
const FIXTURES = join(REPO_ROOT, "test-support", "fixtures", "claude-code");
const GEMINI = join(REPO_ROOT, "test-support", "fixtures", "gemini-real");

/** A recorded Gemini event pointed at a recorded chat file (each read by the hook as Gemini's would be). */
function geminiEvent(event: string, chatFile: string): string {
  const recorded = JSON.parse(readFileSync(join(GEMINI, "events", event), "utf8")) as Record<string, unknown>;
  return JSON.stringify({ ...recorded, transcript_path: chatFile, prompt: "say ok again #again" });
}



function summary(samples: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

interface Case {
  args: string[];
  input: string;
}

/** Wall time of one process from spawn to exit, in milliseconds; fails loudly if the process did not succeed quietly. */
function time(c: Case): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, c.args, { input: c.input, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 || result.stdout !== "" || result.stderr !== "") {
    throw new Error(`${c.args.join(" ")} failed: ${JSON.stringify({ status: result.status, stdout: result.stdout, stderr: result.stderr })}`);
  }
  return ms;
}

function main(): void {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
  const work = mkdtempSync(join(tmpdir(), "otto-hook-bench-"));
  try {
    const bus = join(work, "bus");
    const home = join(work, "home");
    const hookArgs = [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--bus-dir", bus, "--home", home];
    const stop = JSON.parse(readFileSync(join(FIXTURES, "hook-events", "stop.json"), "utf8")) as Record<string, unknown>;
    stop.transcript_path = join(FIXTURES, "transcript-brief-ack.jsonl");
    const cases = {
      nodeBaseline: { args: ["-e", "0"], input: "" },
      hook: { args: hookArgs, input: readFileSync(join(FIXTURES, "hook-events", "post-tool-use.json"), "utf8") },
      hookStop: { args: hookArgs, input: JSON.stringify(stop) },
      // Gemini: BeforeAgent reads the chat file's end (is this turn a hook's go-on?); AfterAgent reads the last reply.
      geminiBeforeAgent: { args: [...hookArgs, "--agent", "gemini"], input: geminiEvent("02-BeforeAgent.json", join(GEMINI, "continuation", "before-agent-1.jsonl")) },
      geminiAfterAgent: { args: [...hookArgs, "--agent", "gemini"], input: geminiEvent("08-AfterAgent.json", join(GEMINI, "transcripts", "brief-ok.jsonl")) },
    } satisfies Record<string, Case>;
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const samples: Record<keyof typeof cases, number[]> = { nodeBaseline: [], hook: [], hookStop: [], geminiBeforeAgent: [], geminiAfterAgent: [] };

    for (let i = 0; i < WARMUP; i++) for (const name of names) time(cases[name]);
    // Interleaved so that machine noise (other processes, thermal state) lands on every side alike.
    for (let i = 0; i < RUNS; i++) for (const name of names) samples[name].push(time(cases[name]));

    const published = existsSync(bus) ? readdirSync(bus).filter((n) => n.endsWith(".json")).length : 0;
    if (published !== (WARMUP + RUNS) * 4) throw new Error(`expected ${(WARMUP + RUNS) * 4} heartbeats, found ${published}`);
    if (existsSync(join(home, "logs", "hook.log"))) throw new Error(`the hook logged errors: ${readFileSync(join(home, "logs", "hook.log"), "utf8")}`);

    const nodeBaseline = summary(samples.nodeBaseline);
    const hook = summary(samples.hook);
    const hookStop = summary(samples.hookStop);
    const ratio = (s: { p50Ms: number }) => Math.round((s.p50Ms / nodeBaseline.p50Ms) * 100) / 100;
    const ratioP50 = ratio(hook);
    const ratioP50Stop = ratio(hookStop);
    const geminiBeforeAgent = summary(samples.geminiBeforeAgent);
    const geminiAfterAgent = summary(samples.geminiAfterAgent);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "hook",
        runs: RUNS,
        nodeBaseline,
        hook,
        hookStop,
        ratioP50,
        ratioP50Stop,
        geminiBeforeAgent,
        geminiAfterAgent,
        ratioP50GeminiBeforeAgent: ratio(geminiBeforeAgent),
        ratioP50GeminiAfterAgent: ratio(geminiAfterAgent),
        goal: `<=${GOAL_RATIO}x`,
        pass: ratioP50 <= GOAL_RATIO && ratioP50Stop <= GOAL_RATIO && ratio(geminiBeforeAgent) <= GOAL_RATIO && ratio(geminiAfterAgent) <= GOAL_RATIO,
      })}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
