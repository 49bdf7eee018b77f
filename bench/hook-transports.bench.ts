// Benchmark: a hook event → its state visible in `otto-tray serve`'s pushed snapshot, over the command hook and the HTTP endpoint, interleaved; prints one JSON object.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HOOK_TOKEN_HEADER, hookUrl } from "../core/hooks/http/hook-url";
import { readHookToken } from "../core/hooks/http/token";
import { CLI_BIN } from "../test-support/cli";
import { freePort } from "../test-support/free-port";
import { type ServeProcess, startServe } from "../test-support/serve";
import { intEnv, round, summarize } from "./stats";
import { SurfaceFollower } from "./surface-follower";

const RUNS = intEnv("HOOK_TRANSPORT_BENCH_RUNS", 20);
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = join(REPO_ROOT, "test-support", "fixtures", "claude-code");
const COMMAND_SURFACE = "bench-command";
const HTTP_SURFACE = "bench-http";
const STEP_TIMEOUT_MS = 15_000;

const log = (message: string) => process.stderr.write(`hook-transports bench: ${message}\n`);

/** The two events alternated: each turns the surface's state (working, then idle), so every one is visible. */
function events(): { state: string; text: string }[] {
  const prompt = readFileSync(join(FIXTURES, "hook-events", "user-prompt-submit.json"), "utf8");
  const stop = JSON.parse(readFileSync(join(FIXTURES, "hook-events", "stop.json"), "utf8")) as Record<string, unknown>;
  stop.transcript_path = join(FIXTURES, "transcript-brief-ack.jsonl");
  return [
    { state: "working", text: prompt },
    { state: "idle", text: JSON.stringify(stop) },
  ];
}

/** Runs the command hook as Claude Code does (event on stdin); resolves when it exits. */
function commandHook(args: string[], text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", COMMAND_SURFACE, "--pid", String(process.pid), ...args], { stdio: ["pipe", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`otto-tray hook exited ${code}`))));
    child.stdin.end(text);
  });
}

/** POSTs the event as Claude Code's HTTP hook does; resolves with the answer's status. */
function httpHook(port: number, token: string, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(hookUrl(port, HTTP_SURFACE));
    const req = request({ host: url.hostname, port, path: `${url.pathname}${url.search}`, method: "POST", headers: { "content-type": "application/json", [HOOK_TOKEN_HEADER]: token } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(text);
  });
}

/** Milliseconds from `send` starting until the follower has received the surface in `state` (newer than the start). */
async function timeToState(follower: SurfaceFollower, state: string, send: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await send();
  const deadline = started + STEP_TIMEOUT_MS;
  for (;;) {
    const turned = follower.turned.get(state);
    if (follower.state === state && turned !== undefined && turned.at >= started) return turned.at - started;
    if (Date.now() > deadline) throw new Error(`the surface did not turn ${state} within ${STEP_TIMEOUT_MS} ms (now ${follower.state ?? "unknown"})`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run node scripts/build-cli.mjs first");
  const work = mkdtempSync(join(tmpdir(), "otto-hook-transports-bench-"));
  let serve: ServeProcess | undefined;
  const followers: SurfaceFollower[] = [];
  try {
    const home = join(work, "home");
    const bus = join(work, "bus");
    const prefs = join(work, "prefs.json");
    writeFileSync(prefs, JSON.stringify({ surfaces: [COMMAND_SURFACE, HTTP_SURFACE] }));
    const port = await freePort();
    const global = ["--home", home, "--bus-dir", bus, "--config", prefs];
    serve = await startServe(global, { OTTO_TRAY_HOOK_PORT: String(port), ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", OTTO_TRAY_DEFAULT_CLAUDE_DIR: join(work, "no-claude") });
    const token = readHookToken(home);
    if (!token.ok) throw new Error(`serve made no hook token: ${token.reason}`);
    const command = new SurfaceFollower(serve, COMMAND_SURFACE, log);
    const http = new SurfaceFollower(serve, HTTP_SURFACE, log);
    followers.push(command, http);
    const samples = { command: [] as number[], http: [] as number[] };
    const steps = events();
    const warmup = 2;
    for (let i = 0; i < warmup + RUNS; i++) {
      // Interleaved, one event each in turn: machine noise lands on both sides alike.
      for (const step of steps) {
        const viaCommand = await timeToState(command, step.state, () => commandHook(global, step.text));
        const viaHttp = await timeToState(http, step.state, async () => {
          const status = await httpHook(port, token.token, step.text);
          if (status !== 200) throw new Error(`the endpoint answered ${status}`);
        });
        if (i >= warmup) {
          samples.command.push(viaCommand);
          samples.http.push(viaHttp);
        }
      }
    }
    const commandSummary = summarize(samples.command, 1);
    const httpSummary = summarize(samples.http, 1);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "hook-transports",
        what: "ms from a hook event sent (command: process spawned with the event on stdin; http: POST started) to serve's pushed snapshot showing its state",
        events: steps.length * RUNS,
        command: commandSummary,
        http: httpSummary,
        httpOverCommandP50: round(httpSummary.p50 / commandSummary.p50, 3),
        httpOverCommandP99: round(httpSummary.p99 / commandSummary.p99, 3),
        node: process.version,
      })}\n`,
    );
  } finally {
    for (const follower of followers) follower.close();
    await serve?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hook-transports bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
