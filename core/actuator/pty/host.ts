// Hosts a program in a pty (`otto-tray run`): passes the terminal through, keeps the screen, publishes what the
// screen shows as heartbeats, and serves the control socket through which confirmed plans are carried out.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Server } from "node:net";
import type { IPty } from "node-pty";
import type { HeartbeatPayload } from "../../bus/envelope";
import { publish } from "../../bus/writer";
import { checkBusTrust } from "../../bus/trust";
import { writeFileAtomic } from "../../fs/atomic-write";
import { processRef } from "../../process-liveness";
import { rmSync } from "node:fs";
import { promptFingerprint } from "../screen/fingerprint";
import { type ScreenReader, screenReaderFor } from "../screen/reader-for-agent";
import type { ScreenReading } from "../screen/types";
import { carryOutPlan, type HostAccess } from "./carry-out";
import { serveControl } from "./control-socket";
import { ScreenBuffer } from "./screen-buffer";
import { heartbeatForScreen } from "./screen-heartbeat";
import { type SessionRecord, sessionRecordPath, socketPath } from "./session-paths";

// node-pty is a native addon: loaded only by `otto-tray run`, never by the app's main process.
const pty = createRequire(import.meta.url)("node-pty") as typeof import("node-pty");

export interface HostOptions {
  homeDir: string;
  busDir: string;
  surface: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  policy: HostAccess["policy"];
  /** The terminal to pass through (a TTY): keys in, size and resizes. Absent when headless. */
  terminal?: { input: NodeJS.ReadStream; output: NodeJS.WriteStream };
  /** Where the program's input comes from (the terminal, or a pipe when headless); default: nothing. */
  input?: NodeJS.ReadableStream;
  /** Where the program's output goes too (the terminal, or a log under launchd); default: nowhere. */
  output?: NodeJS.WritableStream;
  /** Size when headless. */
  cols?: number;
  rows?: number;
  /** At most one unchanged heartbeat this often (ms); changes are published at once. */
  keepAliveMs?: number;
  /** Output must be quiet this long before the screen is read (ms). */
  quietMs?: number;
  /** How the hosted agent's screen is read (the surface's agent's reader); default: Claude Code's. */
  reader?: ScreenReader;
}

/** A running hosted session. `exited` resolves with the program's exit code (or 128 + signal). */
export class PtyHost {
  readonly sessionId = randomUUID();
  private readonly screen: ScreenBuffer;
  private readonly child: IPty;
  private server: Server | undefined;
  private lastOutputAt = Date.now();
  private promptKey: string | undefined;
  private promptSince: number | undefined;
  private lastBeat: { key: string; at: number } | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private lastReading: ScreenReading | undefined;
  private readonly reader: ScreenReader;
  readonly exited: Promise<number>;

  constructor(private readonly options: HostOptions) {
    const size = options.terminal?.output;
    const out = options.terminal?.output ?? options.output;
    const cols = size?.columns ?? options.cols ?? 120;
    const rows = size?.rows ?? options.rows ?? 40;
    this.reader = options.reader ?? screenReaderFor("claude-code");
    this.screen = new ScreenBuffer(cols, rows);
    this.child = pty.spawn(options.command, options.args, { name: "xterm-256color", cols, rows, cwd: options.cwd, env: options.env as Record<string, string> });
    this.child.onData((data) => {
      out?.write(data);
      this.screen.write(data);
      this.lastOutputAt = Date.now();
      this.scheduleLook();
    });
    if (options.terminal) this.attachTerminal(options.terminal);
    // Keys typed (or piped, when headless) go to the program as they are.
    if (options.input) {
      options.input.on("data", (data: Buffer | string) => this.child.write(data.toString()));
      options.input.resume();
    }
    this.exited = new Promise((resolve) => {
      this.child.onExit(({ exitCode, signal }) => resolve(signal ? 128 + signal : exitCode));
    });
  }

  get childPid(): number {
    return this.child.pid;
  }

  /** Registers the session, opens the control socket and starts the keep-alive. */
  async start(): Promise<void> {
    const socket = socketPath(this.options.homeDir, this.options.surface);
    this.server = await serveControl(socket, async (request) => {
      if (request.op === "screen") {
        const { reading, text } = await this.look();
        return { ok: true, sessionId: this.sessionId, surface: this.options.surface, childPid: this.child.pid, screen: text, reading, fingerprint: promptFingerprint(reading), promptSince: this.promptSince ?? null, lastOutputAt: new Date(this.lastOutputAt).toISOString() };
      }
      return carryOutPlan(this.access(), request.planId);
    });
    const record: SessionRecord = {
      surface: this.options.surface,
      sessionId: this.sessionId,
      host: processRef(process.pid),
      childPid: this.child.pid,
      socket,
      cwd: this.options.cwd,
      command: [this.options.command, ...this.options.args],
      startedAt: new Date().toISOString(),
    };
    writeFileAtomic(sessionRecordPath(this.options.homeDir, this.options.surface), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    this.keepAlive = setInterval(() => this.beat(true), this.options.keepAliveMs ?? 30_000);
    this.keepAlive.unref();
  }

  /** Closes the socket, unregisters, and publishes `offline`. */
  async stop(exitCode: number): Promise<void> {
    clearInterval(this.keepAlive);
    clearTimeout(this.quietTimer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(sessionRecordPath(this.options.homeDir, this.options.surface), { force: true });
    this.publish({ status: "alive", note: `session ended (exit ${exitCode})`, event: "SessionEnd", pid: this.child.pid });
    this.screen.dispose();
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  private attachTerminal(terminal: NonNullable<HostOptions["terminal"]>): void {
    terminal.input.setRawMode(true);
    terminal.output.on("resize", () => {
      const cols = terminal.output.columns;
      const rows = terminal.output.rows;
      this.child.resize(cols, rows);
      this.screen.resize(cols, rows);
    });
  }

  /** What the carry-out may use of this host (public so a test can drive the carry-out against a real pty). */
  access(): HostAccess {
    return {
      homeDir: this.options.homeDir,
      busDir: this.options.busDir,
      surface: this.options.surface,
      sessionId: this.sessionId,
      policy: this.options.policy,
      readScreen: async () => {
        await this.waitQuiet();
        return { reading: (await this.look()).reading, promptSince: this.promptSince };
      },
      writeKeys: (keys) => this.child.write(keys),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
    };
  }

  // Keys just written take a moment to show: wait until the program has been quiet for a while (bounded).
  private async waitQuiet(): Promise<void> {
    const quiet = this.options.quietMs ?? 300;
    const deadline = Date.now() + 3_000;
    await new Promise((resolve) => setTimeout(resolve, quiet));
    while (Date.now() - this.lastOutputAt < quiet && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // Reads the screen once output has been quiet for a moment (a spinner frame is not a new state).
  private scheduleLook(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => void this.look().then(() => this.beat(false)), this.options.quietMs ?? 300);
  }

  private async look(): Promise<{ reading: ScreenReading; text: string }> {
    await this.screen.settled();
    const text = this.screen.text();
    const reading = this.reader.read(text);
    const key = reading.kind === "permission" || reading.kind === "other-dialog" ? promptFingerprint(reading) : undefined;
    if (key !== this.promptKey) {
      this.promptKey = key;
      this.promptSince = key === undefined ? undefined : Date.now();
    }
    this.lastReading = reading;
    return { reading, text };
  }

  // State changes are published at once; an unchanged state at most once per keep-alive period.
  private beat(keepAlive: boolean): void {
    // An agent whose screen is not read has its state said by its hooks: a screen beat would only overwrite it.
    if (this.lastReading === undefined || !this.reader.readsScreen) return;
    const { key, payload } = heartbeatForScreen(this.lastReading, this.child.pid);
    const now = Date.now();
    if (this.lastBeat?.key === key && (!keepAlive || now - this.lastBeat.at < (this.options.keepAliveMs ?? 30_000) / 2)) return;
    this.lastBeat = { key, at: now };
    this.publish(payload);
  }

  private publish(payload: HeartbeatPayload): void {
    // A missing bus is created (owner-only) by the writer; an existing one that is not trusted gets nothing.
    const trust = checkBusTrust(this.options.busDir);
    if (trust.exists && !trust.trusted) return;
    try {
      publish(this.options.busDir, { topic: "heartbeat", payload, from: this.options.surface });
    } catch {
      // A bus that cannot be written must not stop the session the person is using.
    }
  }
}
