// The bridge bench's world without a test runner: a nats-server on loopback (restartable on its port and store), machines as bus + state directories, `otto-tray bridge` as real processes.
import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeartbeatPayload } from "../core/bus/envelope";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { CLI_BIN, REPO_ROOT } from "../test-support/cli";
import { type NatsServer, startNatsServer, stopAllNatsServers } from "../test-support/nats-server";

/** Everything this world started and made, ended by pid and removed by path in `tearDown`. */
const children = new Set<ChildProcess>();
const dirs: string[] = [];

export function benchTempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

/** Ends every process started here (SIGKILL, by pid) and removes the temporary directories. */
export function tearDown(): void {
  stopAllNatsServers();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

export async function waitUntil<T>(check: () => T | undefined | false, what: string, timeoutMs = 30_000, describe: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The hub: the tests' nats-server helper (runner-free), restartable on its port and store. */
export type Hub = NatsServer;

/** Debian's nats-server with JetStream on 127.0.0.1, ready when this resolves; ended by tearDown. */
export function startHub(): Promise<Hub> {
  return startNatsServer();
}

/** A machine: its own trusted bus (0700) and state directory. */
export class BenchMachine {
  readonly bus: string;
  readonly home: string;
  constructor(readonly host: string) {
    const root = benchTempDir(`otto-bench-machine-${host}-`);
    this.bus = join(root, "bus");
    this.home = join(root, "home");
    mkdirSync(this.bus, { mode: 0o700 });
    chmodSync(this.bus, 0o700);
    mkdirSync(this.home);
  }

  beat(surface: string, payload: HeartbeatPayload): void {
    writeEnvelope(this.bus, buildEnvelope({ topic: "heartbeat", payload, from: surface }, new Date()));
  }
}

/** `otto-tray bridge` for a machine as a real process; each line it prints is stamped (performance.now()) as it arrives. */
export class BridgeProcess {
  readonly lines: { at: number; text: string }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private partial = "";

  constructor(
    readonly machine: BenchMachine,
    url: string,
  ) {
    const claude = join(machine.home, "claude");
    this.child = spawn(process.execPath, [CLI_BIN, "bridge", "--url", url, "--host", machine.host, "--bus-dir", machine.bus, "--home", machine.home], {
      cwd: REPO_ROOT,
      env: { ...process.env, ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: claude, OTTO_TRAY_DEFAULT_CLAUDE_DIR: claude },
      stdio: ["pipe", "pipe", "pipe"],
    });
    children.add(this.child);
    const onData = (d: string) => {
      const at = performance.now();
      this.partial += d;
      const parts = this.partial.split("\n");
      this.partial = parts.pop() ?? "";
      for (const text of parts) this.lines.push({ at, text });
    };
    this.child.stdout.setEncoding("utf8").on("data", onData);
    this.child.stderr.setEncoding("utf8").on("data", onData);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  output(): string {
    return this.lines.map((l) => l.text).join("\n");
  }

  /** When the first line matching `pattern` printed after `since` arrived. */
  async lineAfter(pattern: RegExp, since: number, what: string, timeoutMs = 30_000): Promise<number> {
    return waitUntil(() => this.lines.find((l) => l.at >= since && pattern.test(l.text))?.at, `${this.machine.host}: ${what}`, timeoutMs, () => this.output());
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    children.delete(child);
  }
}
