// Benchmark: how long after the real Claude Code 2.1.330 turns its registry record `waiting` (a permission dialog, no hooks) the running `otto-tray serve` pushes otto-cli as waiting; prints one JSON object.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, watch } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startScriptedServer, type ScriptedServer, type ScriptedTurn } from "../test-support/anthropic-server";
import { CLAUDE_CODE_VERSION, findClaudeCode, prepareClaudeHome, SKIP_ENV } from "../test-support/claude-code";
import { CLI_BIN } from "../test-support/cli";
import { startServe, type ServeProcess } from "../test-support/serve";
import { SurfaceFollower } from "./surface-follower";
import { makeThrowawayRepo } from "../test-support/claude-session";
import { Terminal, waitFor } from "../test-support/terminal";
import { intEnv, round, summarize } from "./stats";

/** Prompts measured (`--runs N` or SESSION_BENCH_RUNS); each takes about four seconds (the dialog is answered as a person does). */
const RUNS = runsOption() ?? intEnv("SESSION_BENCH_RUNS", 20);
/** Prompts before the measured ones, not counted (first-time costs in Claude Code and the service). */
const WARMUP = Number(process.env.SESSION_BENCH_WARMUP ?? 1);
const GOAL_MS = 200;
const SURFACE = "otto-cli";
const KEEP = process.env.SESSION_BENCH_KEEP === "1";

const SCRIPT: ScriptedTurn[] = [
  { match: "#make", tool: { name: "Bash", input: { command: "touch made.txt", description: "Run touch made.txt" } } },
  { text: "Ran touch made.txt." },
];
const DIALOG = /Do you want to proceed\?[\s\S]*1\. Yes/;
const IDLE = /❯[^\S\n]*\n─+\n[^\n]*\? for shortcuts/;

const started = Date.now();
const log = (message: string) => process.stderr.write(`session-waiting bench [${((Date.now() - started) / 1000).toFixed(1)} s]: ${message}\n`);

function runsOption(): number | undefined {
  const at = process.argv.indexOf("--runs");
  if (at < 0) return undefined;
  const n = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--runs ${process.argv[at + 1] ?? "(nothing)"} is not a positive integer`);
  return n;
}

/** The fields of Claude Code's record this bench reads. */
interface RecordView {
  status?: string;
  statusUpdatedAt?: number;
}

/**
 * Follows one record file: a watch on its directory and a 2 ms poll, whichever sees a change first; every
 * status seen is kept with the moment (Date.now(), the clock Claude Code stamps statusUpdatedAt with) it was first seen.
 */
class RecordFollower {
  /** The latest record read, and when this bench first saw its statusUpdatedAt. */
  latest: RecordView = {};
  private readonly seenAt = new Map<string, number>();
  private readonly watcher;
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly file: string) {
    this.watcher = watch(join(file, ".."), { persistent: false }, () => this.read());
    this.poll = setInterval(() => this.read(), 2);
    this.read();
  }

  /** When this bench first saw the record say `status` with this statusUpdatedAt. */
  firstSeen(status: string, statusUpdatedAt: number): number | undefined {
    return this.seenAt.get(`${status}@${statusUpdatedAt}`);
  }

  close(): void {
    clearInterval(this.poll);
    this.watcher.close();
  }

  private read(): void {
    const now = Date.now();
    let record: RecordView;
    try {
      record = JSON.parse(readFileSync(this.file, "utf8")) as RecordView;
    } catch {
      return; // Torn (rewritten in place) or gone: the next look reads it whole.
    }
    this.latest = record;
    const key = `${record.status}@${record.statusUpdatedAt}`;
    if (!this.seenAt.has(key)) this.seenAt.set(key, now);
    if (this.seenAt.size > 1000) this.seenAt.delete(this.seenAt.keys().next().value as string);
  }
}

interface Sample {
  /** Service: the pushed snapshot received − statusUpdatedAt. */
  serviceMs: number;
  /** Baseline: this bench's own first sight of the file − statusUpdatedAt. */
  fileMs: number;
  /** The detector's evaluation time of that snapshot − statusUpdatedAt. */
  evaluatedMs: number;
  /** Snapshot received − its evaluation time: building the app snapshot, diffing, the event stream. */
  pushMs: number;
}

async function main(): Promise<void> {
  const found = findClaudeCode();
  if ("missing" in found) {
    if (process.env[SKIP_ENV] === "1" && !process.env.CI) {
      process.stdout.write(`${JSON.stringify({ benchmark: "session-waiting", skipped: found.missing }, null, 2)}\n`);
      return;
    }
    throw new Error(found.missing);
  }
  if (!existsSync(CLI_BIN) || !existsSync(join(CLI_BIN, "..", "..", "dist", "cli"))) throw new Error(`${CLI_BIN} is not built: run node scripts/build-cli.mjs (npm run bench:sessions does)`);

  const root = realpathSync(mkdtempSync(join(tmpdir(), "otto-session-bench-")));
  let server: ScriptedServer | undefined;
  let terminal: Terminal | undefined;
  let serve: ServeProcess | undefined;
  let record: RecordFollower | undefined;
  let surface: SurfaceFollower | undefined;
  let cleaned: Promise<void> | undefined;
  // Everything this bench started, by its own handle: the followers, the service (SIGTERM to its pid), Claude Code
  // (Ctrl-C, then SIGKILL to the pane's pid, then the private tmux server), the API server.
  const cleanUp = () =>
    (cleaned ??= (async () => {
      record?.close();
      surface?.close();
      await serve?.stop();
      await terminal?.close();
      await server?.close();
      if (KEEP) log(`kept ${root}`);
      else rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    })());
  const interrupted = () => {
    log("interrupted: ending what it started");
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const repo = makeThrowawayRepo(root);
    server = await startScriptedServer(SCRIPT);
    const claude = prepareClaudeHome({ root, cwd: repo, baseUrl: server.url });
    const sessionsDir = join(claude.configDir, "sessions");

    terminal = Terminal.start({ dir: root, command: `exec ${found.bin}`, cwd: repo, env: claude.env });
    const term = terminal;
    await term.waitForScreen(IDLE, "Claude Code's idle prompt", 90_000);
    const pid = await waitFor(() => {
      const names = existsSync(sessionsDir) ? readdirSync(sessionsDir).filter((n) => /^\d+\.json$/.test(n)) : [];
      return names.length === 1 ? Number(names[0]?.slice(0, -".json".length)) : undefined;
    }, "Claude Code's session record", { timeoutMs: 30_000 });
    log(`Claude Code ${CLAUDE_CODE_VERSION} is up (pid ${pid}); starting otto-tray serve`);

    // The service follows only this config dir (never the machine's own ~/.claude); no hooks, no `otto-tray run`.
    const home = join(root, "otto-home");
    mkdirSync(home);
    serve = await startServe(["--home", home, "--bus-dir", join(root, "bus")], {
      ZETA_BUS_DIR: "",
      OTTO_TRAY_HOME: "",
      OTTO_TRAY_DEFAULT_CLAUDE_DIR: join(root, "no-default-claude"),
      CLAUDE_CONFIG_DIR: claude.configDir,
    });
    record = new RecordFollower(join(sessionsDir, `${pid}.json`));
    surface = new SurfaceFollower(serve, SURFACE, log);
    const rec = record;
    const surf = surface;
    await waitFor(() => surf.state === "idle" || undefined, `the service showing ${SURFACE} idle`, { timeoutMs: 30_000, intervalMs: 20, describe: () => `${SURFACE} is ${surf.state}` });

    const samples: Sample[] = [];
    for (let i = -WARMUP; i < RUNS; i++) {
      surf.turned.delete("waiting");
      term.type("make a file #make");
      term.press("Enter");
      const at = await waitFor(() => (rec.latest.status === "waiting" ? rec.latest.statusUpdatedAt : undefined), "the record saying waiting", { timeoutMs: 30_000, intervalMs: 5, describe: () => `record: ${JSON.stringify(rec.latest)}\nscreen:\n${term.screen()}` });
      const pushed = await waitFor(() => surf.turned.get("waiting"), `the service pushing ${SURFACE} waiting`, { timeoutMs: 30_000, intervalMs: 5, describe: () => `${SURFACE} is ${surf.state}` });
      const seen = rec.firstSeen("waiting", at);
      if (typeof at !== "number" || seen === undefined) throw new Error(`the record's statusUpdatedAt is not a ms timestamp: ${JSON.stringify(rec.latest)}`);
      const sample: Sample = { serviceMs: pushed.at - at, fileMs: seen - at, evaluatedMs: pushed.generatedAt - at, pushMs: pushed.at - pushed.generatedAt };
      if (i >= 0) samples.push(sample);
      log(`${i < 0 ? "warm-up" : `prompt ${i + 1}/${RUNS}`}: service ${sample.serviceMs} ms, file seen ${sample.fileMs} ms, evaluated ${sample.evaluatedMs} ms after statusUpdatedAt`);
      await term.waitForScreen(DIALOG, "the permission dialog", 30_000);
      await term.answer(DIALOG, "1");
      await waitFor(() => (rec.latest.status === "idle" && surf.state === "idle" && IDLE.test(term.screen())) || undefined, "Claude Code and the service idle again", { timeoutMs: 60_000, intervalMs: 50, describe: () => `record: ${JSON.stringify(rec.latest)}; ${SURFACE} is ${surf.state}\nscreen:\n${term.screen()}` });
    }

    const service = summarize(samples.map((s) => s.serviceMs), 1);
    const baseline = summarize(samples.map((s) => s.fileMs), 1);
    const result = {
      benchmark: "session-waiting",
      what: `ms from Claude Code's own waiting (its registry record's statusUpdatedAt) to otto-tray serve pushing ${SURFACE} as waiting on its event stream; real Claude Code ${CLAUDE_CODE_VERSION}, permission dialogs, no hooks installed`,
      settings: { runs: RUNS, warmup: WARMUP },
      notes: [
        "t0 = statusUpdatedAt of the record $CLAUDE_CONFIG_DIR/sessions/<pid>.json turning waiting (Claude Code's Date.now(), ms)",
        "service: when this bench received the event-stream snapshot whose otto-cli state first says waiting, minus t0",
        "baseline: when this bench itself first read the record saying waiting (directory watch + 2 ms poll), minus t0: what a reader can do at best",
        "evaluated: the detector's evaluation time of that snapshot (generatedAt) minus t0; push: received minus generatedAt",
        "each prompt makes the scripted API ask for a Bash command; the dialog is answered 1 (Yes) and both sides are idle before the next",
      ],
      machine: { cpus: cpus().length, node: process.version, platform: process.platform },
      service,
      baseline,
      ratioP50: baseline.p50 > 0 ? round(service.p50 / baseline.p50, 2) : null,
      serviceAddsP50Ms: round(service.p50 - baseline.p50, 1),
      breakdown: { evaluated: summarize(samples.map((s) => s.evaluatedMs), 1), push: summarize(samples.map((s) => s.pushMs), 1) },
      eventStreamFrames: surf.frames,
      goal: { ms: GOAL_MS, p50Meets: service.p50 <= GOAL_MS, p99Meets: service.p99 <= GOAL_MS },
      pass: service.p50 <= GOAL_MS && service.p99 <= GOAL_MS,
      totalSeconds: round((Date.now() - started) / 1000, 1),
    };
    log(`p50 ${service.p50} ms, p99 ${service.p99} ms (goal ${GOAL_MS} ms: p50 ${result.goal.p50Meets ? "meets it" : "misses it"}, p99 ${result.goal.p99Meets ? "meets it" : "misses it"})`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await cleanUp();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`session-waiting.bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
