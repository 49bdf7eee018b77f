// The bridge the app runs from its preferences (bridge.enabled), or, where `otto-tray bridge` runs for the same state
// directory, that one's view from its state file: either way the popover shows the other machines.
import { hostname } from "node:os";
import type { BridgeStatus } from "../bridge/bridge";
import { readBridgeCredentials } from "../bridge/credentials";
import { bridgeHostName } from "../bridge/host-name";
import { createMachineBridge, takeBridgeLock } from "../bridge/machine-bridge";
import { checkNatsUrl } from "../bridge/nats-url";
import type { RemoteHostView } from "../bridge/remote-view";
import { BridgeStatusReader } from "../bridge/status-file";
import type { QuorumScope } from "../detect/engine";
import { describeError } from "../errors";
import type { Prefs } from "../prefs/schema";
import type { DetectorService } from "../service";

/** What the popover shows of the bridge: off, run here, run by another process, or why it cannot run. */
export interface BridgeView {
  state: "off" | "running" | "elsewhere" | "problem";
  host: string | null;
  url: string | null;
  link: BridgeStatus["link"] | null;
  since: string | null;
  problem: string | null;
  /** The machine that publishes the quorum across machines, when known. */
  publisher: string | null;
  hosts: RemoteHostView[];
}

const OFF: BridgeView = { state: "off", host: null, url: null, link: null, since: null, problem: null, publisher: null, hosts: [] };

export interface AppBridgeOptions {
  homeDir: string;
  busDir: string;
  prefs: Prefs;
  env: NodeJS.ProcessEnv;
  /** Told when the view may have changed (the app pushes a snapshot). */
  onChange: () => void;
  log: (line: string) => void;
}

export class AppBridge {
  private running: { stop: () => Promise<void>; status: () => BridgeStatus; scope: () => QuorumScope } | undefined;
  private problem: string | null = null;
  /** Reads another process's bridge-status.json, parsing it again only when it changed. */
  private statusReader: BridgeStatusReader | undefined;

  constructor(private readonly options: AppBridgeOptions) {}

  /** Starts the bridge over `detector` when the preferences turn it on; a problem is shown, never thrown. */
  async start(detector: DetectorService): Promise<void> {
    const { prefs, homeDir, busDir, env } = this.options;
    const wanted = prefs.bridge;
    if (!wanted.enabled) return;
    if (wanted.url === undefined) return void (this.problem = "the bridge is turned on but has no URL: set bridge.url (nats://HOST:PORT)");
    const url = checkNatsUrl(wanted.url);
    if (!url.ok) return void (this.problem = `bridge.url: ${url.problem}`);
    let host: string;
    let credentials: ReturnType<typeof readBridgeCredentials> | undefined;
    try {
      host = bridgeHostName(wanted.host, hostname());
      credentials = wanted.credsFile === undefined ? undefined : readBridgeCredentials(wanted.credsFile);
    } catch (error) {
      return void (this.problem = describeError(error).replace(/^--creds: /, "bridge.credsFile: "));
    }
    const lock = takeBridgeLock(homeDir);
    // Another process (`otto-tray bridge`) runs it for this state directory: shown from its state file.
    if (!lock.ok) return;
    const { bridge, statusFile } = createMachineBridge({ url: url.url, credentials, host, hubDomain: wanted.hubDomain, shareDetails: wanted.shareDetails, homeDir, busDir, prefs, detector, log: this.options.log, onChange: this.options.onChange, env });
    try {
      await bridge.start();
    } catch (error) {
      statusFile.flush();
      lock.release();
      this.problem = describeError(error);
      return;
    }
    this.running = {
      status: () => bridge.status(),
      scope: () => bridge.quorumScope(),
      stop: async () => {
        await bridge.stop();
        statusFile.flush();
        lock.release();
      },
    };
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    this.problem = null;
    await running?.stop();
  }

  /** Who tells quorums of this bus: the bridge while linked, this machine alone while cut off; "bus" without a bridge. */
  quorumScope(): QuorumScope {
    return this.running?.scope() ?? "bus";
  }

  view(): BridgeView {
    if (this.problem !== null) return { ...OFF, state: "problem", problem: this.problem };
    if (this.running !== undefined) return fromStatus("running", this.running.status());
    this.statusReader ??= new BridgeStatusReader(this.options.homeDir);
    const read = this.statusReader.read();
    return read.kind === "running" ? fromStatus("elsewhere", read.status) : OFF;
  }
}

function fromStatus(state: "running" | "elsewhere", status: BridgeStatus): BridgeView {
  return { state, host: status.host, url: status.url, link: status.link, since: status.since, problem: status.problem, publisher: status.quorum.publisher, hosts: status.remote };
}
