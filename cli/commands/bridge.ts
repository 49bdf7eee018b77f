// `otto-tray bridge`: this machine's detector plus the NATS bridge, in the foreground: surfaces out, other machines in.
import { join } from "node:path";
import { readBridgeCredentials } from "../../core/bridge/credentials";
import { bridgeHostName } from "../../core/bridge/host-name";
import { jsDomainProblem } from "../../core/bridge/js-domain";
import { checkNatsUrl } from "../../core/bridge/nats-url";
import { createMachineBridge, takeBridgeLock } from "../../core/bridge/machine-bridge";
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

const USAGE = `usage: otto-tray bridge --url nats://HOST:PORT [--creds FILE] [--host NAME] [--hub-domain NAME]
                        [--share-details] [--bus-dir DIR] [--config FILE] [--home DIR]
       otto-tray bridge keys --hosts NAME,NAME[,…] --out DIR [--force]   (a user per machine, an admin)
       otto-tray bridge setup --url nats://HOST:PORT --creds ADMIN_FILE [--leaf-domain NAME]
                                                                     (the buckets and the stream)
  Runs this machine's detector and joins it to other machines through a NATS server with JetStream: this machine's
  surfaces (state, ages, what kind of prompt they wait on) go to the otto-tray-surfaces bucket as <host>.<surface>,
  and the other machines' come back. Nothing that arrives over NATS can press a key, answer a prompt, change a
  preference or touch a pool. One bridge per machine and state directory (a lock in it).
  --creds FILE   an nkey seed, a NATS .creds file, or {"user", "password"} JSON; yours, mode 0600
  --host NAME    this machine's name (default: the short hostname, fitted: mac.local → mac-local)
  --hub-domain NAME  --url is this machine's own leaf node of the hub, whose JetStream domain is NAME: the buckets
                 and the stream are the hub's; quorums told while the hub does not answer reach it afterwards
  --share-details  also send prompt texts, notes and reasons (off: they never leave this machine)
  The local bus stays the source of truth: while NATS is unreachable everything local works as before, and
  reconnecting re-publishes the current state.
`;

/** `--url`, checked: a usage error names what is wrong with it. */
export function parseNatsUrl(value: string): string {
  const checked = checkNatsUrl(value);
  if (!checked.ok) throw new UsageError(`--url: ${checked.problem}`, checked.hint);
  return checked.url;
}

/** `--hub-domain` / `--leaf-domain`, checked (undefined when not given). */
export function parseJsDomain(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = jsDomainProblem(value);
  if (problem !== undefined) throw new UsageError(`--${option}: ${problem}`, "the domain set in that server's jetstream { domain: … } block");
  return value;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === "keys") return (await import("./bridge-keys")).runKeys(argv.slice(1), io);
  if (argv[0] === "setup") return (await import("./bridge-setup")).runSetup(argv.slice(1), io);
  const { values, positionals } = parseCommandArgs(argv, { url: { type: "string" }, creds: { type: "string" }, host: { type: "string" }, "hub-domain": { type: "string" }, "share-details": { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "bridge");
  const url = parseNatsUrl(requireOption(values.url, "url", "nats://HOST:PORT"));
  const host = bridgeHostName(values.host);
  const hubDomain = parseJsDomain(values["hub-domain"], "hub-domain");
  const credentials = values.creds === undefined ? undefined : readBridgeCredentials(values.creds);
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = await context.prefs();
  const busDir = await context.busDir();
  ensureDirSync(context.homeDir);
  const lock = takeBridgeLock(context.homeDir);
  if (!lock.ok) throw new OttoError(lock.problem, { exitCode: ExitCode.refused, hint: "one bridge per machine and state directory: stop the other (or the app's), or pass another --home" });
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
  const shareDetails = values["share-details"] === true;
  const { bridge, statusFile } = createMachineBridge({ url, credentials, host, hubDomain, shareDetails, homeDir: context.homeDir, busDir, prefs, detector, log: say, env: io.env });
  try {
    await detector.start();
    say(`bridge ${host} → ${url}${hubDomain === undefined ? "" : ` (leaf; hub domain ${hubDomain})`}; bus ${busDir}; state ${context.homeDir} (Ctrl-C to stop)`);
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
