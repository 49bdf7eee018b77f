// A simulated machine for the bridge's tests: its own bus and state directory, and `otto-tray bridge` as a real process
// with its own host name; read back through the state file the one-shot `status` reads.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HeartbeatPayload } from "../core/bus/envelope";
import { makeBus, writeHeartbeat } from "./bus";
import { CLI_BIN, REPO_ROOT } from "./cli";
import { waitFor } from "./terminal";

const running = new Set<ChildProcessWithoutNullStreams>();
/** Ends every bridge process still running, by pid (call it after the tests). */
export function stopAllBridges(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
}

/** What `bridge-status.json` holds (only what the tests read). */
export interface BridgeStatusFile {
  host: string;
  link: string;
  problem: string | null;
  refusedRecords: number;
  remote: { host: string; link: string; surfaces: { surface: string; state: string; waitingKind: string | null; details?: unknown }[] }[];
}

export class Machine {
  readonly bus: string;
  readonly home: string;
  private child: ChildProcessWithoutNullStreams | undefined;
  private out = "";

  constructor(readonly host: string) {
    ({ bus: this.bus, home: this.home } = makeBus(`otto-machine-${host}-`));
  }

  /** Starts `otto-tray bridge` for this machine (extra arguments after the URL, extra environment); returns once it has said its first line. */
  async startBridge(url: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<void> {
    const child = spawn(process.execPath, [CLI_BIN, "bridge", "--url", url, "--host", this.host, "--bus-dir", this.bus, "--home", this.home, ...extra], {
      cwd: REPO_ROOT,
      env: { ...process.env, ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: join(this.home, "claude"), ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    running.add(child);
    this.child = child;
    this.out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (this.out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (this.out += d));
    await this.waitForOutput(/bridge \S+ → |otto-tray bridge: /, "the bridge's first line");
  }

  /** Everything the bridge printed (stdout and stderr). */
  output(): string {
    return this.out;
  }

  exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  async waitForOutput(pattern: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
    return waitFor(() => pattern.exec(this.out)?.[0], `${this.host}: ${what}`, { timeoutMs, describe: () => this.out });
  }

  /** Waits for the bridge to exit on its own; its exit code. */
  async exited(timeoutMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (child === undefined) return null;
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, `${this.host}: the bridge to exit`, { timeoutMs, describe: () => this.out });
    return child.exitCode;
  }

  async stopBridge(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await this.exited();
    running.delete(child);
  }

  beat(surface: string, payload: HeartbeatPayload): void {
    writeHeartbeat(this.bus, surface, payload);
  }

  /** The bridge's state file, or undefined before it is written. */
  status(): BridgeStatusFile | undefined {
    try {
      return JSON.parse(readFileSync(join(this.home, "bridge-status.json"), "utf8")) as BridgeStatusFile;
    } catch {
      return undefined;
    }
  }

  /** The state of `surface` on `host` as this machine sees it (undefined: not seen). */
  remoteState(host: string, surface: string): string | undefined {
    return this.status()?.remote.find((h) => h.host === host)?.surfaces.find((s) => s.surface === surface)?.state;
  }

  async waitForRemote(host: string, surface: string, state: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.remoteState(host, surface) === state, `${this.host} to see ${host}.${surface} ${state}`, { timeoutMs, describe: () => `${JSON.stringify(this.status(), null, 1)}\n${this.out}` });
  }
}
