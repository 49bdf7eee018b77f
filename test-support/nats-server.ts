// A real nats-server (Debian's, installed by `./scripts/setup --tests`) on loopback for the bridge's tests and benches:
// its own port and store directory, stopped by its pid, restartable on the same port (a hub outage). No test runner
// attached (vitest, Playwright and the benches use it): callers end leftovers with stopAllNatsServers.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const running = new Set<ChildProcess>();
const dirs: string[] = [];
/** Ends every server still running (call it after the tests): by pid, never by name; then removes their directories. */
export function stopAllNatsServers(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

function serverDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "otto-nats-")));
  dirs.push(dir);
  return dir;
}

/** Whether nats-server is installed (the tests say they need it rather than fail obscurely). */
export function natsServerInstalled(): boolean {
  return spawnSync("nats-server", ["--version"], { encoding: "utf8" }).status === 0;
}

export interface NatsServerOptions {
  /** JetStream on (default) or off: a server without it is a case the bridge must name. */
  jetstream?: boolean;
  /** JetStream's domain (a hub and its leaf nodes each have their own). */
  domain?: string;
  /** Extra configuration text (accounts, authorization, leafnodes), written into the server's config file. */
  config?: string;
  /** A port to listen on (a restart on the same port); default: one the server picks. */
  port?: number;
  /** The store directory (kept across a restart so JetStream's data survives). */
  storeDir?: string;
}

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  pid: number;
  /** Everything the server logged so far. */
  log(): string;
  /** SIGTERM (or SIGKILL), then waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The same server again: same port, same store and config. */
  restart(): Promise<NatsServer>;
}

/** Starts nats-server on 127.0.0.1 and waits until it says it is ready. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  if (!natsServerInstalled()) throw new Error("nats-server is not installed: run ./scripts/setup --tests (it installs Debian's nats-server)");
  const dir = serverDir();
  const storeDir = options.storeDir ?? join(dir, "store");
  const jetstream = options.jetstream ?? true;
  const configFile = join(dir, "server.conf");
  const lines = [
    "host: 127.0.0.1",
    `port: ${options.port ?? -1}`,
    jetstream ? `jetstream { store_dir: ${JSON.stringify(storeDir)}${options.domain === undefined ? "" : `, domain: ${options.domain}`} }` : "",
    options.config ?? "",
  ];
  writeFileSync(configFile, `${lines.join("\n")}\n`);
  const child = spawn("nats-server", ["-c", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server was not ready within 20 s:\n${log}`)), 20_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const listening = /Listening for client connections on [^\s:]+:(\d+)/.exec(log);
      if (listening !== null && log.includes("Server is ready")) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited ${code} before it was ready:\n${log}`));
    });
  });
  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    pid: child.pid ?? 0,
    log: () => log,
    stop: (signal: NodeJS.Signals = "SIGTERM") =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => {
          running.delete(child);
          done();
        });
        child.kill(signal);
      }),
    restart: async () => {
      await server.stop();
      return startNatsServer({ ...options, port, storeDir });
    },
  };
  return server;
}
