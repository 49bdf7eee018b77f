// One state per surface from its sessions: the precedence, ended sessions, and how heartbeats add hung and standing-by.
import { describe, expect, it } from "vitest";
import type { SessionState } from "./session-rows";
import { combineSurfaceState, surfaceFromSessions } from "./surface-sessions";

const row = (pid: number, surface: string | null, state: SessionState, waitingFor: string | null = null) => ({ pid, surface, state, name: `s${pid}`, waitingFor, since: "2026-12-07T10:00:00.000Z" });

describe("a surface's state from its sessions", () => {
  it("is the most urgent state of its live sessions: waiting, then working, then idle", () => {
    const sessions = [row(1, "otto-cli", "idle"), row(2, "otto-cli", "working"), row(3, "otto-cli", "waiting", "permission prompt"), row(4, "otto-desktop", "idle")];
    expect(surfaceFromSessions("otto-cli", sessions)).toMatchObject({ state: "waiting", waiting: "permission prompt", reason: "Claude Code session s3: waiting: permission prompt (2 more sessions)" });
    expect(surfaceFromSessions("otto-cli", sessions.slice(0, 2))).toMatchObject({ state: "working", waiting: null });
    expect(surfaceFromSessions("otto-desktop", sessions)).toMatchObject({ state: "idle", since: Date.parse("2026-12-07T10:00:00.000Z") });
  });

  it("a surface whose sessions all ended is offline; other sessions and unknown statuses decide nothing", () => {
    expect(surfaceFromSessions("otto-cli", [row(1, "otto-cli", "ended"), row(2, null, "working")])).toMatchObject({ state: "offline" });
    expect(surfaceFromSessions("otto-cli", [row(1, "otto-cli", "ended"), row(2, "otto-cli", "idle")])?.state).toBe("idle");
    expect(surfaceFromSessions("otto-cli", [row(2, null, "working")])).toBeUndefined();
    expect(surfaceFromSessions("otto-cli", [row(2, "otto-cli", "unknown")])).toBeUndefined();
  });

  it("the registry's word wins; heartbeats add hung over working and standing-by over idle", () => {
    const by = (state: SessionState) => surfaceFromSessions("s", [row(1, "s", state)]);
    expect(combineSurfaceState("waiting", by("idle"), true)).toBe("idle");
    expect(combineSurfaceState("working", by("waiting"), true)).toBe("waiting");
    expect(combineSurfaceState("hung", by("working"), true)).toBe("hung");
    expect(combineSurfaceState("standing-by", by("idle"), true)).toBe("standing-by");
    expect(combineSurfaceState("working", by("ended"), undefined)).toBe("offline");
    // A heartbeat whose process lives (a session in a config dir not followed) outweighs an ended record.
    expect(combineSurfaceState("working", by("ended"), true)).toBeUndefined();
    expect(combineSurfaceState("working", undefined, true)).toBeUndefined();
  });
});
