// One machine's bridge wired as the CLI and the app both run it: the state directory's lock, the bridge over this
// machine's detector, escalations from other machines written to this bus once, and the state file `status` reads.
import type { Prefs } from "../prefs/schema";
import { Bridge, type LocalSurfaces } from "./bridge";
import { BusDelivery } from "./bus-delivery";
import type { BridgeCredentials } from "./credentials";
import type { LeaseTiming } from "./kv-lease";
import { BridgeStatusFile, bridgeLock } from "./status-file";

export type BridgeLockResult = { ok: true; release: () => void } | { ok: false; problem: string };

/** The state directory's bridge lock: one bridge per machine and state directory (the app's or the CLI's). */
export function takeBridgeLock(homeDir: string): BridgeLockResult {
  const lock = bridgeLock(homeDir);
  if (lock.tryAcquire()) return { ok: true, release: () => lock.release() };
  const holder = lock.holderPid();
  return { ok: false, problem: `a bridge already runs for ${homeDir}${holder === undefined ? "" : ` (pid ${holder})`}${lock.failure === undefined ? "" : ` (${lock.failure})`}` };
}

export interface MachineBridgeOptions {
  url: string;
  credentials: BridgeCredentials | undefined;
  host: string;
  /** The hub's JetStream domain when `url` is this machine's leaf node of the hub (docs/bridge.md). */
  hubDomain?: string | undefined;
  shareDetails: boolean;
  homeDir: string;
  busDir: string;
  prefs: Prefs;
  /** The machine's detector: its surfaces go out, and only while it is the bus's publisher may it tell the quorum. */
  detector: LocalSurfaces & { readonly isPublisher: boolean };
  log: (line: string) => void;
  /** Called when the bridge's view changed (after the state file is told). */
  onChange?: () => void;
  env: NodeJS.ProcessEnv;
}

/** The bridge and its state file; the caller starts the bridge, and on stop stops it and flushes the file. */
export function createMachineBridge(options: MachineBridgeOptions): { bridge: Bridge; statusFile: BridgeStatusFile } {
  const { homeDir, busDir, prefs, detector, log } = options;
  const delivery = new BusDelivery(busDir, homeDir);
  // Each refers to the other only when called, after both exist.
  const statusFile: BridgeStatusFile = new BridgeStatusFile(homeDir, () => bridge.status(), log);
  const bridge: Bridge = new Bridge({
    url: options.url,
    credentials: options.credentials,
    host: options.host,
    ...(options.hubDomain === undefined ? {} : { hubDomain: options.hubDomain }),
    shareDetails: options.shareDetails,
    local: detector,
    log,
    onChange: () => {
      statusFile.changed();
      options.onChange?.();
    },
    quorum: prefs,
    mayPublishQuorum: () => detector.isPublisher,
    deliver: (escalation) => delivery.deliver(escalation),
    ...leaseTimingFromEnv(options.env),
  });
  return { bridge, statusFile };
}

/**
 * The lease's TTL from $OTTO_TRAY_BRIDGE_LEASE_MS (tests, to see a hand-over without waiting ten seconds); anything
 * but a whole number of milliseconds from 1000 to 600000 is ignored.
 */
function leaseTimingFromEnv(env: NodeJS.ProcessEnv): { leaseTiming?: LeaseTiming } {
  const raw = env.OTTO_TRAY_BRIDGE_LEASE_MS;
  const ttlMs = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(ttlMs) && ttlMs >= 1000 && ttlMs <= 600_000 ? { leaseTiming: { ttlMs, slackMs: 1000 } } : {};
}
