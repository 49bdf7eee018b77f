// Other machines' surfaces as this machine's bridge last heard them, grouped by host, bounded, with each host's link
// state: what the popover and `status --json` show under `remote`. Nothing here can act: it is only shown.
import type { SurfaceRecord } from "./surface-record";

/** A host's link as seen from here. */
export type HostLink = "connected" | "reconnecting" | "silent";

export interface RemoteHostView {
  host: string;
  link: HostLink;
  /** Since when the link has been down (reconnecting: ours; silent: the host's last record). */
  since: string | null;
  lastSeen: string | null;
  surfaces: SurfaceRecord[];
}

/** Bounds: a bucket anyone on the hub writes to must not grow this process. */
export const MAX_REMOTE_HOSTS = 64;
export const MAX_SURFACES_PER_HOST = 16;

export class RemoteView {
  private readonly hosts = new Map<string, Map<string, SurfaceRecord>>();
  /** Records refused for a bound (counted, named once in the bridge's log). */
  dropped = 0;

  /** `silentAfterMs`: a host that has re-published nothing for this long is shown as silent (its bridge stopped). */
  constructor(private readonly silentAfterMs: number) {}

  put(record: SurfaceRecord): void {
    let host = this.hosts.get(record.host);
    if (host === undefined) {
      if (this.hosts.size >= MAX_REMOTE_HOSTS) return void (this.dropped += 1);
      host = new Map();
      this.hosts.set(record.host, host);
    }
    if (!host.has(record.surface) && host.size >= MAX_SURFACES_PER_HOST) return void (this.dropped += 1);
    host.set(record.surface, record);
  }

  delete(host: string, surface: string): void {
    const surfaces = this.hosts.get(host);
    surfaces?.delete(surface);
    if (surfaces?.size === 0) this.hosts.delete(host);
  }

  /** Every host, by name; `ourLink` down since `downSince` makes every host "reconnecting" (we cannot know more). */
  view(now: number, downSince: number | null): RemoteHostView[] {
    return [...this.hosts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([host, surfaces]) => {
        const records = [...surfaces.values()].sort((a, b) => a.surface.localeCompare(b.surface));
        const lastSeenMs = Math.max(...records.map((r) => Date.parse(r.publishedAt)));
        const lastSeen = Number.isFinite(lastSeenMs) ? new Date(lastSeenMs).toISOString() : null;
        if (downSince !== null) return { host, link: "reconnecting" as const, since: new Date(downSince).toISOString(), lastSeen, surfaces: records };
        const silent = !Number.isFinite(lastSeenMs) || now - lastSeenMs > this.silentAfterMs;
        return { host, link: silent ? ("silent" as const) : ("connected" as const), since: silent ? lastSeen : null, lastSeen, surfaces: records };
      });
  }
}
