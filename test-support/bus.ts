// Bus test helpers: fixture copies, envelope files written by hand, and `otto-tray detect --json` run as a real process.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Envelope, HeartbeatPayload } from "../core/bus/envelope";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { CLI_BIN, FIXTURES, REPO_ROOT } from "./cli";
import { makeTempDir } from "./temp";

/** A private copy of `test-support/fixtures/bus` (the original is read-only), mode 0700 like a real bus. */
export function copyFixtureBus(): string {
  const dir = join(makeTempDir("otto-fixture-bus-"), "bus");
  cpSync(join(FIXTURES, "bus"), dir, { recursive: true });
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
  chmodSync(dir, 0o700);
  return dir;
}

/** A fresh, trusted bus directory (0700) plus a state directory for `--home`. */
export function makeBus(prefix = "otto-bus-"): { root: string; bus: string; home: string } {
  const root = makeTempDir(prefix);
  const bus = join(root, "bus");
  const home = join(root, "home");
  mkdirSync(bus, { mode: 0o700 });
  mkdirSync(home);
  chmodSync(bus, 0o700);
  return { root, bus, home };
}

/** Writes a heartbeat envelope atomically with a chosen timestamp; returns it. */
export function writeHeartbeat(bus: string, from: string, payload: HeartbeatPayload, at: Date = new Date()): Envelope<HeartbeatPayload> {
  const envelope = buildEnvelope({ topic: "heartbeat", payload, from }, at);
  writeEnvelope(bus, envelope);
  return envelope;
}

/** Writes arbitrary text as `<name>` in the bus, bypassing the writer (for hostile or hand-made files). */
export function writeRaw(bus: string, name: string, content: string | Buffer): void {
  writeFileSync(join(bus, name), content);
}

/** One line printed by `otto-tray detect --json`. */
export type DetectLine =
  | { type: "state"; surface: string; state: string; previous: string | null; at: string; reason: string }
  | { type: "published"; envelope: Envelope }
  | { type: "problem"; at: string; message: string }
  | { type: "role"; at: string; role: "publisher" | "read-only"; message: string };

const running = new Set<ChildProcessWithoutNullStreams>();
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});

/** `otto-tray detect --json` as a running process: its parsed lines, a way to wait for one, and stop(). */
export class DetectProcess {
  readonly lines: DetectLine[] = [];
  stderr = "";
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = "";
  private waiters: { predicate: (l: DetectLine) => boolean; resolve: (l: DetectLine) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [CLI_BIN, "detect", "--json", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    running.add(this.child);
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on("close", (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  published(topic?: string): Envelope[] {
    return this.lines.flatMap((l) => (l.type === "published" && (topic === undefined || l.envelope.topic === topic) ? [l.envelope] : []));
  }

  /** The newest state printed for a surface. */
  stateOf(surface: string): string | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const l = this.lines[i] as DetectLine;
      if (l.type === "state" && l.surface === surface) return l.state;
    }
    return undefined;
  }

  /** Resolves with the first line (already printed or to come) that matches; rejects after timeoutMs. */
  waitFor(predicate: (l: DetectLine) => boolean, timeoutMs = 15_000, what = "a matching line"): Promise<DetectLine> {
    const found = this.lines.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: (l: DetectLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`detect did not print ${what} within ${timeoutMs} ms; printed:\n${this.lines.map((l) => JSON.stringify(l)).join("\n")}\nstderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits until the newest printed state of `surface` is `state`. */
  waitForState(surface: string, state: string, timeoutMs = 15_000): Promise<DetectLine> {
    if (this.stateOf(surface) === state) return Promise.resolve(this.lines[this.lines.length - 1] as DetectLine);
    return this.waitFor((l) => l.type === "state" && l.surface === surface && l.state === state && this.stateOf(surface) === state, timeoutMs, `${surface} → ${state}`);
  }

  /** SIGTERM, then SIGKILL if it does not exit within 5 s. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive) this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const text = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (text.trim() === "") continue;
      let line: DetectLine;
      try {
        line = JSON.parse(text) as DetectLine;
      } catch {
        throw new Error(`detect --json printed a line that is not JSON: ${text}`);
      }
      this.lines.push(line);
      for (const w of [...this.waiters]) {
        if (w.predicate(line)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(line);
        }
      }
    }
  }
}

/** The heartbeats `surface` published on `bus` so far, oldest first (none while the directory does not exist). */
export function heartbeatsFrom(bus: string, surface: string): HeartbeatPayload[] {
  if (!existsSync(bus)) return [];
  return readdirSync(bus)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(bus, name), "utf8")) as Envelope<HeartbeatPayload>)
    .filter((e) => e.topic === "heartbeat" && e.from === surface)
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
    .map((e) => e.payload);
}
