// Benchmark: `otto-tray serve` idle with a 20,000-envelope bus, 3 identities' pools and an open dashboard (CPU, RSS),
// the same under 10 heartbeats a second, and heartbeat written → row updated in the browser (p50, p99); a bare idle Node
// process measured in the same window is the baseline. One JSON object.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { runCli } from "../test-support/cli";
import { makeDashboardDirs } from "../test-support/dashboard-world";
import { startServe } from "../test-support/serve";
import { measure } from "./process-usage";
import { intEnv, percentile, round } from "./stats";

const ENVELOPES = intEnv("IDLE_BENCH_ENVELOPES", 20_000);
const SECONDS = intEnv("IDLE_BENCH_SECONDS", 60);
const RATE = intEnv("IDLE_BENCH_RATE", 10);
/** Seconds between opening the dashboard and measuring: the first scan of the bus settles (and its garbage goes). */
const SETTLE = intEnv("IDLE_BENCH_SETTLE", 10);
const IDENTITIES = ["otto-cli", "otto-desktop", "otto-launchd"];
const GOALS = { cpuPercent: 1, rssMb: 80, latencyP50Ms: 100 };
const mb = (v: number | null) => (v === null ? null : round(v, 1));
const usage = (u: Awaited<ReturnType<typeof measure>>) => ({ cpuPercentOfOneCore: u.cpuPercent === null ? null : round(u.cpuPercent, 2), rssMbMax: mb(u.rssMbMax), rssMbEnd: mb(u.rssMbEnd) });
const log = (m: string) => process.stderr.write(`bench:idle: ${m}\n`);

const { root, home, bus, prefsFile } = makeDashboardDirs("otto-idle-bench-", { poolSize: 3, identities: IDENTITIES });
log(`pools: ${IDENTITIES.length} identities × 3 sideticks`);
const init = runCli(["pool", "init", "--config", prefsFile, "--home", home], { timeoutMs: 120_000 });
if (init.code !== 0) throw new Error(`pool init failed: ${init.stderr}`);

log(`bus: writing ${ENVELOPES} envelopes`);
const now = Date.now();
for (let i = 0; i < ENVELOPES; i++) {
  const from = i % 10 < 3 ? (IDENTITIES[i % 3] as string) : `other-agent-${i % 17}`;
  writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", payload: { status: "working", note: `backlog ${i}` }, from }, new Date(now - (ENVELOPES - i) * 50)));
}

const serve = await startServe(["--home", home], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: join(root, "claude") });
const pid = serve.child.pid ?? 0;
// The baseline, measured in the same window as the idle service so both see the same machine load: what any idle Node
// process with one timer costs here. Started now so its own start-up has settled by then.
const bare = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
const browser = await chromium.launch({
  executablePath: process.env.OTTO_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
  await page.goto(serve.url);
  await page.getByTestId("surface-row-otto-cli").waitFor();
  // The page records when each note first shows in a row (same machine, same wall clock as the writer).
  // A string, so this Node file needs no DOM types.
  await page.evaluate(`(() => {
    const seen = (window.__seen = {});
    new MutationObserver(() => {
      for (const row of document.querySelectorAll("[data-testid^=surface-row-]")) {
        const m = /bench-(\\d+)/.exec(row.textContent ?? "");
        if (m && seen[m[1]] === undefined) seen[m[1]] = Date.now();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE * 1000));

  log(`idle for ${SECONDS} s (beside a bare Node process with one timer, the baseline)`);
  const [idle, baseline] = await Promise.all([measure(pid, SECONDS), measure(bare.pid ?? 0, SECONDS)]);
  bare.kill("SIGTERM");

  log(`${RATE} heartbeats a second for ${SECONDS} s`);
  const written: Record<string, number> = {};
  let n = 0;
  const started = Date.now();
  const loaded = await measure(pid, SECONDS, () => {
    while (n < ((Date.now() - started) / 1000) * RATE) {
      const surface = IDENTITIES[n % 3] as string;
      written[String(n)] = Date.now();
      writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", payload: { status: "working", note: `bench-${n}` }, from: surface }));
      n++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const seen = (await page.evaluate("window.__seen")) as Record<string, number>;
  // A note replaced within the same push is never shown; only notes that reached the page count.
  const latencies = Object.entries(seen).flatMap(([id, at]) => (written[id] === undefined ? [] : [at - written[id]]));
  const p50 = percentile(latencies, 50);
  const result = {
    setup: { settleSeconds: SETTLE, envelopes: ENVELOPES, identities: IDENTITIES.length, sideticksPerIdentity: 3, seconds: SECONDS, heartbeatsPerSecond: RATE },
    idle: usage(idle),
    baselineBareNodeIdle: usage(baseline),
    idleOverBaseline: {
      rssMbMax: idle.rssMbMax === null || baseline.rssMbMax === null ? null : round(idle.rssMbMax / baseline.rssMbMax, 2),
      cpuPercentPoints: idle.cpuPercent === null || baseline.cpuPercent === null ? null : round(idle.cpuPercent - baseline.cpuPercent, 2),
    },
    loaded: { ...usage(loaded), heartbeatsWritten: n },
    heartbeatToRowMs: { samples: latencies.length, p50: round(p50, 1), p99: round(percentile(latencies, 99), 1) },
    goals: GOALS,
    pass: (idle.cpuPercent ?? 0) < GOALS.cpuPercent && (idle.rssMbMax ?? 0) < GOALS.rssMb && p50 <= GOALS.latencyP50Ms,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  bare.kill("SIGTERM");
  await browser.close();
  await serve.stop();
  rmSync(root, { recursive: true, force: true });
}
