// Benchmark: the policy's judgement of a 1,000-character command once the Bash parser is loaded (goal: median under
// 1 ms), against baselines run interleaved in the same process (JSON.parse of the same text, the judgement of `true`),
// and the parser's load time in fresh processes (against reading its two .wasm files); prints one JSON object.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { DEFAULT_TEMPLATES } from "../core/actuator/policy/context";
import { judgeCommandText, type JudgeContext } from "../core/actuator/policy/judge";
import { bashGrammarPath, loadShellParser } from "../core/actuator/policy/shell-parser";
import { intEnv, round, summarize } from "./stats";

const RUNS = intEnv("POLICY_BENCH_RUNS", 2000);
const WARMUP = intEnv("POLICY_BENCH_WARMUP", 200);
const LOADS = intEnv("POLICY_BENCH_LOADS", 7);
const GOAL_MS = 1;
const SELF = fileURLToPath(import.meta.url);

/** A realistic long text of exactly 1,000 characters: several commands, separators, a comment, quoted words, paths. */
export function thousandCharCommand(): string {
  let text = "cd packages/core && npm test && git diff --stat --cached -- 'src/a b.ts'";
  for (let i = 0; text.length < 900; i++) text += ` src/module-${i}/index.ts`;
  text += " ; npx vitest run core/pool # check the pool\npytest -q -k 'not slow' tests/";
  return text.padEnd(1000, " ").slice(0, 1000);
}

/** Child mode: one fresh process loads the parser once and prints how long that took, and how long reading its files takes. */
async function loadOnce(): Promise<void> {
  const runtime = createRequire(import.meta.url).resolve("web-tree-sitter/web-tree-sitter.wasm");
  const read = performance.now();
  readFileSync(runtime);
  readFileSync(bashGrammarPath());
  const readMs = performance.now() - read;
  const start = performance.now();
  await loadShellParser();
  process.stdout.write(`${JSON.stringify({ loadMs: performance.now() - start, readMs })}\n`);
}

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const loads = Array.from({ length: LOADS }, () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", SELF, "--load-once"], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`the parser did not load: ${child.stderr}`);
    return JSON.parse(child.stdout) as { loadMs: number; readMs: number };
  });

  await loadShellParser();
  const text = thousandCharCommand();
  const asJson = JSON.stringify(text);
  const manual: JudgeContext = { projectDir: "/work/project", mode: "manual", autoAllowlist: DEFAULT_TEMPLATES };
  const auto: JudgeContext = { ...manual, mode: "auto" };
  const judged = judgeCommandText(text, manual);
  // The text must be read all the way through, or the figure would time a refusal.
  if (judged.commands.length < 5) throw new Error(`the benchmark text was not read: ${judged.reason}`);
  const cases = {
    judgeManual: () => judgeCommandText(text, manual),
    judgeAuto: () => judgeCommandText(text, auto),
    baselineJsonParse: () => JSON.parse(asJson) as unknown,
    baselineJudgeTrue: () => judgeCommandText("true", manual),
  };
  const names = Object.keys(cases) as (keyof typeof cases)[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof cases, number[]>;
  for (let i = 0; i < WARMUP; i++) for (const name of names) cases[name]();
  // Interleaved so that machine noise lands on every case alike.
  for (let i = 0; i < RUNS; i++) for (const name of names) samples[name].push(time(cases[name]));

  const ms = Object.fromEntries(names.map((n) => [n, summarize(samples[n], 4)])) as Record<keyof typeof cases, ReturnType<typeof summarize>>;
  process.stdout.write(
    `${JSON.stringify({
      benchmark: "policy",
      textChars: text.length,
      commandsFound: judged.commands.length,
      runs: RUNS,
      judgementMs: { manual: ms.judgeManual, auto: ms.judgeAuto },
      baselineMs: { jsonParseSameText: ms.baselineJsonParse, judgeTrue: ms.baselineJudgeTrue },
      ratioToJudgeTrueP50: round(ms.judgeManual.p50 / ms.baselineJudgeTrue.p50, 2),
      parserLoadMs: summarize(loads.map((l) => l.loadMs), 2),
      baselineReadWasmMs: summarize(loads.map((l) => l.readMs), 2),
      goal: `judgement median < ${GOAL_MS} ms once the parser is loaded`,
      pass: ms.judgeManual.p50 < GOAL_MS && ms.judgeAuto.p50 < GOAL_MS,
    })}\n`,
  );
}

if (process.argv.includes("--load-once")) await loadOnce();
else await main();
