// What a one-shot `status` says of the bridge and the other machines, from the running bridge's state file.
import type { RemoteHostView } from "./remote-view";
import { readBridgeStatus } from "./status-file";

export interface BridgeSummary {
  /** Whether a bridge runs for this state directory now (its lock is held). */
  running: boolean;
  host: string | null;
  url: string | null;
  link: string | null;
  since: string | null;
  problem: string | null;
}

/** `bridge: null` where no bridge ever ran here; other machines only while one runs (a stopped bridge's view is old). */
export function remoteForStatus(homeDir: string): { bridge: BridgeSummary | null; remote: RemoteHostView[] } {
  const read = readBridgeStatus(homeDir);
  if (read.kind === "none") return { bridge: null, remote: [] };
  if (read.kind === "problem") return { bridge: { running: false, host: null, url: null, link: null, since: null, problem: read.reason }, remote: [] };
  if (read.kind === "stopped") {
    const last = read.last;
    return { bridge: { running: false, host: last?.host ?? null, url: last?.url ?? null, link: "stopped", since: last?.writtenAt ?? null, problem: last?.problem ?? null }, remote: [] };
  }
  const { host, url, link, since, problem, remote } = read.status;
  return { bridge: { running: true, host, url, link, since, problem }, remote };
}

/** The text lines of `status` for the bridge: one per machine, its link and its surfaces' states. */
export function renderRemote(view: { bridge: BridgeSummary | null; remote: RemoteHostView[] }): string {
  const { bridge, remote } = view;
  if (bridge === null) return "";
  if (!bridge.running) return `bridge: not running${bridge.problem === null ? "" : ` (last: ${bridge.problem})`}\n`;
  const lines = [`bridge: ${bridge.host ?? "?"} → ${bridge.url ?? "?"}, ${bridge.link ?? "?"}${bridge.problem === null ? "" : ` (${bridge.problem})`}`];
  if (remote.length === 0) lines.push("  no other machine has published yet");
  for (const host of remote) {
    const link = host.link === "connected" ? "connected" : `${host.link} since ${host.since ?? "?"}`;
    lines.push(`  ${host.host} (${link}): ${host.surfaces.map((s) => `${s.surface} ${s.state}${s.waitingKind === null ? "" : ` (${s.waitingKind})`}`).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}
