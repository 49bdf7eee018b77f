// The detection engine with Claude Code's sessions: surfaces follow them, and the quorum counts surfaces idle by them.
import { chmodSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import { BusReader } from "../bus/reader";
import { buildEnvelope, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import type { SessionRow, SessionState } from "../sessions/session-rows";
import { DetectionEngine } from "./engine";

const T0 = Date.parse("2026-05-16T07:00:00Z");

function row(pid: number, surface: string | null, state: SessionState, waitingFor: string | null = null): SessionRow {
  return { pid, sessionId: `s${pid}`, surface, state, name: `n${pid}`, cwd: "/r", branch: null, waitingFor, since: new Date(T0 - 60_000).toISOString(), source: ["registry"], version: null, entrypoint: "cli" };
}

function engineWith(sessions: () => SessionRow[]) {
  const dir = makeTempDir("otto-bus-");
  chmodSync(dir, 0o700);
  const reader = new BusReader(dir);
  const engine = new DetectionEngine({ reader, prefs: parsePrefs({}), sessions });
  return {
    beat(from: string, at: number, payload: HeartbeatPayload) {
      writeEnvelope(dir, buildEnvelope({ topic: "heartbeat", from, payload }, new Date(at)));
    },
    at(now: number) {
      reader.scan();
      return engine.evaluate(now).snapshot;
    },
  };
}

describe("DetectionEngine and Claude Code's sessions", () => {
  it("a surface is in the most urgent state of its sessions; one with none keeps its heartbeats", () => {
    let sessions = [row(1, "otto-cli", "idle"), row(2, "otto-cli", "waiting", "permission prompt")];
    const e = engineWith(() => sessions);
    e.beat("otto-desktop", T0 - 1000, { status: "working" });
    // A stale "working" beat of otto-cli's hooks: the registry's waiting wins.
    e.beat("otto-cli", T0 - 2000, { status: "working" });
    const first = e.at(T0);
    expect(first.surfaces.map((s) => [s.id, s.state, s.waiting])).toEqual([
      ["otto-cli", "waiting", "permission prompt"],
      ["otto-desktop", "working", null],
      ["otto-launchd", "unknown", null],
    ]);
    sessions = [row(1, "otto-cli", "ended"), row(2, "otto-cli", "ended")];
    expect(e.at(T0 + 1000).surfaces[0]).toMatchObject({ state: "offline", waiting: null });
  });

  it("surfaces idle by their sessions make a quorum; other sessions never count", () => {
    let sessions = [row(1, "otto-cli", "idle"), row(2, null, "idle"), row(3, null, "idle")];
    const e = engineWith(() => sessions);
    expect(e.at(T0).quorum.active).toBe(false);
    sessions = [row(1, "otto-cli", "idle"), row(4, "otto-launchd", "idle")];
    expect(e.at(T0 + 1000).quorum).toMatchObject({ active: true, surfaces: ["otto-cli", "otto-launchd"] });
    sessions = [row(1, "otto-cli", "idle"), row(4, "otto-launchd", "working")];
    expect(e.at(T0 + 2000).quorum.active).toBe(false);
  });
});
