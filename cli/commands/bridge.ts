// `otto-tray bridge`: this machine's detector plus the NATS bridge, in the foreground: surfaces out, other machines in.
import { join } from "node:path";
import { Bridge } from "../../core/bridge/bridge";
import { BusDelivery } from "../../core/bridge/bus-delivery";
import { readBridgeCredentials } from "../../core/bridge/credentials";
import { bridgeHostName } from "../../core/bridge/host-name";
import { BridgeStatusFile, bridgeLock } from "../../core/bridge/status-file";
import { ExitCode, OttoError, UsageError } from "../../core/errors";
import { ensureDirSync } from "../../core/fs/ensure-dir";
import { PREFS_FILE_NAME } from "../../core/prefs/location";
import { DetectorService } from "../../core/service";
import { registrySessionSource } from "../../core/sessions/session-source";
import { terminalSafe } from "../../core/text/terminal-safe";
import { noPositionals, parseCommandArgs, requireOption } from "../args";
import { type CliIO, resolveContext } from "../context";

/** The subcommands, for the dispatcher's error prefix (the bridge itself runs without one). */
export const subcommands = ["keys", "setup"] as const;

const USAGE = `usage: otto-tray bridge --url nats://HOST:PORT [--creds FILE] [--host NAME] [--share-details]
                        [--bus-dir DIR] [--config FILE] [--home DIR]
       otto-tray bridge keys --hosts NAME,NAME[,…] --out DIR [--force]   (a user per machine, an admin)
       otto-tray bridge setup --url nats://HOST:PORT --creds ADMIN_FILE    (the buckets and the stream)
  Runs this machine's detector and joins it to other machines through a NATS server with JetStream: this machine's
  surfaces (state, ages, what kind of prompt they wait on) go to the otto-tray-surfaces bucket as <host>.<surface>,
  and the other machines' come back. Nothing that arrives over NATS can press a key, answer a prompt, change a
  preference or touch a pool. One bridge per machine and state directory (a lock in it).
  --creds FILE   an nkey seed, a NATS .creds file, or {"user", "password"} JSON; yours, mode 0600
  --host NAME    this machine's name (default: the short hostname, fitted: mac.local → mac-local)
  --share-details  also send prompt texts, notes and reasons (off: they never leave this machine)
  The local bus stays the source of truth: while NATS is unreachable everything local works as before, and
  reconnecting re-publishes the current state.
`;

/** A URL of a NATS server, without credentials in it (they would show in every process listing). */
export function parseNatsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: ${JSON.stringify(value)} is not a URL`, "pass --url nats://HOST:PORT");
  }
  if (!["nats:", "tls:"].includes(url.protocol)) throw new UsageError(`--url: ${JSON.stringify(value)} is not a nats:// or tls:// URL`, "pass --url nats://HOST:PORT");
  if (url.username !== "" || url.password !== "") throw new UsageError("--url: credentials do not belong in the URL (any process can read a command line)", "put them in a file of yours with mode 0600 and pass --creds FILE");
  if (url.hostname === "") throw new UsageError(`--url: ${JSON.stringify(value)} names no host`, "pass --url nats://HOST:PORT");
  return `${url.protocol}//${url.host}`;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === "keys") return (await import("./bridge-keys")).runKeys(argv.slice(1), io);
  if (argv[0] === "setup") return (await import("./bridge-setup")).runSetup(argv.slice(1), io);
  const { values, positionals } = parseCommandArgs(argv, { url: { type: "string" }, creds: { type: "string" }, host: { type: "string" }, "share-details": { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "bridge");
  const url = parseNatsUrl(requireOption(values.url, "url", "nats://HOST:PORT"));
  const host = bridgeHostName(values.host);
  const credentials = values.creds === undefined ? undefined : readBridgeCredentials(values.creds);
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = await context.prefs();
  const busDir = await context.busDir();
  ensureDirSync(context.homeDir);
  const lock = bridgeLock(context.homeDir);
  if (!lock.tryAcquire()) {
    const holder = lock.holderPid();
    throw new OttoError(`a bridge already runs for ${context.homeDir}${holder === undefined ? "" : ` (pid ${holder})`}${lock.failure === undefined ? "" : ` (${lock.failure})`}`, {
      exitCode: ExitCode.refused,
      hint: "one bridge per machine and state directory: stop the other (or the app's), or pass another --home",
    });
  }
  const say = (line: string) => io.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${terminalSafe(line)}\n`);
  const { cachedActuatorPolicy } = await import("../../core/prefs/actuator-file");
  const prefsFile = context.configFile ?? join(context.homeDir, PREFS_FILE_NAME);
  // The detector leaves quorums to the bridge while it is linked, and marks its own local while cut off.
  const detector: DetectorService = new DetectorService({
    busDir,
    prefs,
    homeDir: context.homeDir,
    policy: cachedActuatorPolicy(prefsFile),
    claudeSessions: registrySessionSource(io.env, prefs),
    quorumScope: () => bridge.quorumScope(),
  });
  detector.on("problem", (message) => say(`problem: ${message}`));
  // Each refers to the other only when called, after both exist.
  const statusFile: BridgeStatusFile = new BridgeStatusFile(context.homeDir, () => bridge.status(), say);
  const delivery = new BusDelivery(busDir, context.homeDir);
  const bridge: Bridge = new Bridge({
    url,
    credentials,
    host,
    shareDetails: values["share-details"] === true,
    local: detector,
    log: say,
    onChange: () => statusFile.changed(),
    quorum: prefs,
    mayPublishQuorum: () => detector.isPublisher,
    deliver: (escalation) => delivery.deliver(escalation),
    ...leaseTimingFromEnv(io.env),
  });
  try {
    await detector.start();
    say(`bridge ${host} → ${url}; bus ${busDir}; state ${context.homeDir} (Ctrl-C to stop)`);
    await bridge.start();
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  } finally {
    await bridge.stop();
    statusFile.flush();
    await detector.stop();
    lock.release();
  }
  return ExitCode.ok;
}

/**
 * The lease's TTL from $OTTO_TRAY_BRIDGE_LEASE_MS (tests, to see a hand-over without waiting ten seconds); anything
 * but a whole number of milliseconds from 1000 to 600000 is ignored.
 */
function leaseTimingFromEnv(env: NodeJS.ProcessEnv): { leaseTiming?: { ttlMs: number; slackMs: number } } {
  const raw = env.OTTO_TRAY_BRIDGE_LEASE_MS;
  const ttlMs = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(ttlMs) && ttlMs >= 1000 && ttlMs <= 600_000 ? { leaseTiming: { ttlMs, slackMs: 1000 } } : {};
}
