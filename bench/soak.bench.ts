// Benchmark: the soak run of issue 15 (`serve`, 20,000 envelopes, 10 heartbeats/s, 30 streams of which 10 never read, the
// switch flipped every second): RSS and CPU of serve over the run, beside a bare idle Node process measured in the same window.
import { spawn } from "node:child_process";
import { runSoak } from "../test-support/soak";
import { cpuSeconds, rssMb } from "./process-usage";
import { intEnv, round } from "./stats";

const SECONDS = intEnv("SOAK_BENCH_SECONDS", 60);
const log = (m: string) => process.stderr.write(`bench:soak: ${m}\n`);

interface Usage {
  rss: number[];
  cpuStart: number | null;
  cpuEnd: number | null;
  startedAt: number;
  endedAt: number;
}
const fresh = (): Usage => ({ rss: [], cpuStart: null, cpuEnd: null, startedAt: 0, endedAt: 0 });
function sample(u: Usage, pid: number): void {
  const now = performance.now();
  if (u.cpuStart === null) {
    u.cpuStart = cpuSeconds(pid);
    u.startedAt = now;
  }
  u.cpuEnd = cpuSeconds(pid);
  u.endedAt = now;
  const rss = rssMb(pid);
  if (rss !== null) u.rss.push(rss);
}
function summary(u: Usage) {
  const seconds = (u.endedAt - u.startedAt) / 1000;
  const cpu = u.cpuStart === null || u.cpuEnd === null || seconds <= 0 ? null : ((u.cpuEnd - u.cpuStart) / seconds) * 100;
  const third = Math.max(1, Math.floor(u.rss.length / 3));
  const avg = (xs: number[]) => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length, 1));
  // Memory flat: the mean RSS of the last third of the run against the middle third (the first is start-up).
  return {
    cpuPercentOfOneCore: cpu === null ? null : round(cpu, 2),
    rssMbMax: u.rss.length === 0 ? null : round(Math.max(...u.rss), 1),
    rssMbMiddleThird: avg(u.rss.slice(third, 2 * third)),
    rssMbLastThird: avg(u.rss.slice(2 * third)),
  };
}

const serveUsage = fresh();
const bareUsage = fresh();
const bare = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
try {
  const result = await runSoak({
    envelopes: 20_000,
    seconds: SECONDS,
    heartbeatsPerSecond: 10,
    readingClients: 20,
    stalledClients: 10,
    log,
    onTick: (pid) => {
      sample(serveUsage, pid);
      sample(bareUsage, bare.pid ?? 0);
    },
  });
  const serve = summary(serveUsage);
  const baseline = summary(bareUsage);
  const bounded = Object.values(result.bounds).every((r) => r.highWater <= r.bound);
  const output = {
    setup: { envelopes: 20_000, seconds: SECONDS, heartbeatsPerSecond: 10, readingStreams: 20, stalledStreams: 10, switchEverySeconds: 1 },
    serve,
    baselineBareNodeIdle: baseline,
    rssGrowthLastOverMiddleThird: serve.rssMbLastThird === null || serve.rssMbMiddleThird === null ? null : round(serve.rssMbLastThird / serve.rssMbMiddleThird, 3),
    rssOverBaseline: serve.rssMbMax === null || baseline.rssMbMax === null ? null : round(serve.rssMbMax / baseline.rssMbMax, 2),
    bounds: result.bounds,
    openFiles: { atStart: result.openFilesAtStart, afterClientsLeft: result.openFilesAfter },
    heartbeatsWritten: result.heartbeatsWritten,
    switches: result.switches,
    snapshotsRead: result.snapshotsRead,
    pass: bounded && result.switchFailures.length === 0 && (result.openFilesAfter ?? 0) <= (result.openFilesAtStart ?? 0),
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} finally {
  bare.kill("SIGTERM");
}
