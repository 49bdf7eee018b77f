// Quorum membership: idle now, by a heartbeat within the window or a living process (table, then the engine).
import { chmodSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import type { SurfaceState } from "../surfaces/types";
import { DetectionEngine } from "./engine";
import { isQuorumMember } from "./quorum-membership";

const MIN = 60_000;
const NOW = 100 * MIN;
const WINDOW = 600;
const hb = (minutesAgo: number, fields: Partial<HeartbeatRecord> = {}): HeartbeatRecord => ({
  id: "b",
  surface: "otto-cli",
  at: NOW - minutesAgo * MIN,
  status: "idle",
  ...fields,
});

describe("isQuorumMember", () => {
  const cases: [string, SurfaceState, HeartbeatRecord | undefined, boolean | undefined, boolean][] = [
    ["idle now, no pid", "idle", hb(0), undefined, true],
    ["idle 6 min ago, no pid (stale, still within the 10 min window)", "stale", hb(6), undefined, true],
    ["idle 11 min ago, no pid (past the window)", "stale", hb(11), undefined, false],
    ["idle 20 min ago, process alive (at its prompt, sends no more beats)", "idle", hb(20), true, true],
    ["idle 3 hours ago, process alive", "idle", hb(180), true, true],
    ["standing-by, process alive", "standing-by", hb(30, { briefAck: true, event: "Stop" }), true, true],
    ["idle, process gone", "offline", hb(1), false, false],
    ["session ended", "offline", hb(1, { event: "SessionEnd" }), undefined, false],
    ["working", "working", hb(0, { status: "working" }), true, false],
    ["blocked on a prompt", "waiting", hb(0, { status: "alive", waiting: "Allow Bash?" }), true, false],
    ["hung", "hung", hb(20, { status: "working" }), true, false],
    ["never seen", "unknown", undefined, undefined, false],
  ];
  it.each(cases)("%s", (_name, state, latest, alive, expected) => {
    expect(isQuorumMember({ state, latest, alive, now: NOW, quorumWindowSeconds: WINDOW })).toBe(expected);
  });
});

describe("quorum membership in the engine", () => {
  const T0 = Date.parse("2026-05-16T07:00:00Z");
  function bus(): string {
    const dir = makeTempDir("otto-bus-");
    chmodSync(dir, 0o700);
    return dir;
  }
  const beat = (dir: string, from: string, at: number, payload: HeartbeatPayload) =>
    writeEnvelope(dir, buildEnvelope({ topic: "heartbeat", from, payload }, new Date(at)));
  const quorumAt = (dir: string, now: number) => {
    const reader = new BusReader(dir);
    reader.scan();
    return new DetectionEngine({ reader, prefs: parsePrefs({}) }).evaluate(now).snapshot.quorum;
  };

  it("counts a surface without a pid that went stale but is still within the window", () => {
    const dir = bus();
    beat(dir, "otto-desktop", T0, { status: "idle" });
    beat(dir, "otto-launchd", T0 + 6 * MIN, { status: "idle" });
    expect(quorumAt(dir, T0 + 6 * MIN)).toMatchObject({ active: true, surfaces: ["otto-desktop", "otto-launchd"] });
  });

  it("counts a surface idle for 20 min whose process lives beside one idle now", () => {
    const dir = bus();
    beat(dir, "otto-desktop", T0, { status: "idle", event: "Stop", pid: process.pid });
    beat(dir, "otto-launchd", T0 + 20 * MIN, { status: "idle" });
    expect(quorumAt(dir, T0 + 20 * MIN)).toMatchObject({ active: true, surfaces: ["otto-desktop", "otto-launchd"] });
  });

  it("does not count a surface without a pid whose idle beat left the window", () => {
    const dir = bus();
    beat(dir, "otto-desktop", T0, { status: "idle" });
    beat(dir, "otto-launchd", T0 + 11 * MIN, { status: "idle" });
    expect(quorumAt(dir, T0 + 11 * MIN).active).toBe(false);
  });
});
