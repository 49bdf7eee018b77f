// Runs the bus, hook, hook-transport, policy, soak, session-waiting, npm-start and bridge benchmarks (those present) as child processes, one after another, and prints one JSON object combining them.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const BENCHES = [
  { name: "bus", file: "bus.bench.ts" },
  { name: "hook", file: "hook.bench.ts" },
  { name: "hookShipped", file: "hook-shipped.bench.ts" },
  { name: "hookTransports", file: "hook-transports.bench.ts" },
  { name: "policy", file: "policy.bench.ts" },
  { name: "soak", file: "soak.bench.ts" },
  { name: "sessions", file: "session-waiting.bench.ts" },
  { name: "start", file: "start.bench.ts" },
  { name: "bridge", file: "bridge.bench.ts" },
];

interface Outcome {
  ok: boolean;
  seconds: number;
  result?: unknown;
  error?: string;
}

/** Runs one benchmark file under tsx; its stdout must be one JSON object, its stderr is passed through. */
function runBench(file: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.on("error", (error) => resolve({ ok: false, seconds: (Date.now() - started) / 1000, error: error.message }));
    child.on("close", (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      if (code !== 0) return resolve({ ok: false, seconds, error: `exited with ${signal ?? code}`, ...(stdout.trim() ? { output: stdout.trim().slice(0, 2000) } : {}) });
      try {
        resolve({ ok: true, seconds, result: JSON.parse(stdout) as unknown });
      } catch {
        resolve({ ok: false, seconds, error: "did not print one JSON object", ...(stdout.trim() ? { output: stdout.trim().slice(0, 2000) } : {}) });
      }
    });
  });
}

const results: Record<string, Outcome | { skipped: string }> = {};
for (const { name, file } of BENCHES) {
  const path = `${BENCH_DIR}${file}`;
  if (!existsSync(path)) {
    results[name] = { skipped: `bench/${file} does not exist` };
    continue;
  }
  process.stderr.write(`bench: running bench/${file}\n`);
  results[name] = await runBench(path);
}

const passes = Object.values(results).flatMap((r) => {
  if (!("ok" in r)) return [];
  const pass = (r.result as { pass?: unknown } | undefined)?.pass;
  return [r.ok && pass !== false];
});
process.stdout.write(`${JSON.stringify({ generatedAt: new Date().toISOString(), pass: passes.length > 0 && passes.every(Boolean), benches: results }, null, 2)}\n`);
process.exitCode = Object.values(results).some((r) => "ok" in r && !r.ok) ? 1 : 0;
