// Other machines' surfaces as this machine shows them: grouped and sorted, each host's link, and bounded.
import { describe, expect, it } from "vitest";
import { MAX_REMOTE_HOSTS, MAX_SURFACES_PER_HOST, RemoteView } from "./remote-view";
import type { SurfaceRecord } from "./surface-record";

const at = (ms: number) => new Date(ms).toISOString();
const record = (host: string, surface: string, publishedMs: number): SurfaceRecord => ({ v: 1, host, surface, agent: "claude-code", state: "idle", lastHeartbeatAt: null, idleSince: null, waitingKind: null, publishedAt: at(publishedMs), quorumMember: false, memberSince: null, toldSince: null });

describe("RemoteView", () => {
  it("groups by host, sorted, and tells connected, silent (nothing re-published for too long) and reconnecting", () => {
    const view = new RemoteView(45_000);
    view.put(record("zeta", "otto-cli", 100_000));
    view.put(record("alpha", "otto-desktop", 100_000));
    view.put(record("alpha", "otto-cli", 120_000));
    const now = 130_000;
    expect(view.view(now, null).map((h) => [h.host, h.link, h.surfaces.map((s) => s.surface), h.lastSeen])).toEqual([
      ["alpha", "connected", ["otto-cli", "otto-desktop"], at(120_000)],
      ["zeta", "connected", ["otto-cli"], at(100_000)],
    ]);
    expect(view.view(160_000, null).map((h) => [h.host, h.link, h.since])).toEqual([
      ["alpha", "connected", null],
      ["zeta", "silent", at(100_000)],
    ]);
    expect(view.view(now, 125_000).every((h) => h.link === "reconnecting" && h.since === at(125_000))).toBe(true);
    view.delete("zeta", "otto-cli");
    expect(view.view(now, null).map((h) => h.host)).toEqual(["alpha"]);
  });

  it("keeps at most MAX_REMOTE_HOSTS hosts and MAX_SURFACES_PER_HOST surfaces each, counting what it drops", () => {
    const view = new RemoteView(45_000);
    for (let h = 0; h < MAX_REMOTE_HOSTS + 10; h++) view.put(record(`host-${h}`, "otto-cli", 1));
    for (let s = 0; s < MAX_SURFACES_PER_HOST + 5; s++) view.put(record("host-0", `s-${s}`, 1));
    const hosts = view.view(2, null);
    expect(hosts).toHaveLength(MAX_REMOTE_HOSTS);
    expect(hosts.find((h) => h.host === "host-0")?.surfaces).toHaveLength(MAX_SURFACES_PER_HOST);
    expect(view.dropped).toBe(10 + 6);
    // A known surface is updated even when its host is full.
    view.put({ ...record("host-0", "otto-cli", 5), state: "working" });
    expect(view.view(6, null).find((h) => h.host === "host-0")?.surfaces.find((s) => s.surface === "otto-cli")?.state).toBe("working");
  });
});
