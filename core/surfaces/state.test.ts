// Table tests of the surface state function: every state, freshness, liveness, wake grace and activity files.
import { describe, expect, it } from "vitest";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { evaluateSurface, type SurfaceInputs } from "./state";
import type { SurfaceState } from "./types";

const NOW = Date.parse("2026-05-16T08:00:00Z");
const thresholds = { staleAfterSeconds: 300, hungAfterSeconds: 600, briefAckEscalateAfter: 6 };
const beat = (ageS: number, fields: Partial<HeartbeatRecord> = {}): HeartbeatRecord => ({
  id: "11111111-1111-4111-8111-111111111111",
  surface: "otto-cli",
  at: NOW - ageS * 1000,
  status: "working",
  ...fields,
});
const input = (fields: Partial<SurfaceInputs>): SurfaceInputs => ({
  latest: undefined,
  activityAt: undefined,
  briefAckStreak: 0,
  alive: undefined,
  now: NOW,
  inWakeGrace: false,
  thresholds,
  ...fields,
});

const cases: [string, Partial<SurfaceInputs>, SurfaceState][] = [
  ["never seen", {}, "unknown"],
  ["fresh working", { latest: beat(10) }, "working"],
  ["fresh alive counts as working", { latest: beat(10, { status: "alive" }) }, "working"],
  ["fresh idle", { latest: beat(10, { status: "idle" }) }, "idle"],
  ["fresh waiting wins over status", { latest: beat(10, { status: "alive", waiting: "permission_prompt" }) }, "waiting"],
  ["empty waiting is not waiting", { latest: beat(10, { status: "alive", waiting: "" }) }, "working"],
  ["idle with streak below threshold", { latest: beat(10, { status: "idle" }), briefAckStreak: 5 }, "idle"],
  ["idle with streak at threshold", { latest: beat(10, { status: "idle" }), briefAckStreak: 6 }, "standing-by"],
  ["working with a streak is still working", { latest: beat(10), briefAckStreak: 9 }, "working"],
  ["exactly at the freshness limit is fresh", { latest: beat(300) }, "working"],
  ["old, liveness unknown", { latest: beat(301) }, "stale"],
  ["old waiting, liveness unknown", { latest: beat(400, { waiting: "x" }) }, "stale"],
  ["old working, process alive, before hungAfter", { latest: beat(400), alive: true }, "working"],
  ["old working, process alive, past hungAfter", { latest: beat(600), alive: true }, "hung"],
  ["past hungAfter but in wake grace", { latest: beat(900), alive: true, inWakeGrace: true }, "working"],
  ["old idle, process alive: quietly idle, not hung", { latest: beat(3600, { status: "idle" }), alive: true }, "idle"],
  ["old waiting, process alive: still waiting", { latest: beat(3600, { waiting: "trust folder" }), alive: true }, "waiting"],
  ["process gone", { latest: beat(10), alive: false }, "offline"],
  ["session ended", { latest: beat(10, { status: "idle", event: "SessionEnd" }) }, "offline"],
  ["session ended but an activity file moved since", { latest: beat(100, { status: "idle", event: "SessionEnd" }), activityAt: NOW - 5000 }, "idle"],
  ["only an activity file, fresh", { activityAt: NOW - 30_000 }, "working"],
  ["only an activity file, old", { activityAt: NOW - 3_600_000 }, "stale"],
  ["old heartbeat refreshed by an activity file", { latest: beat(3600, { status: "alive" }), activityAt: NOW - 10_000 }, "working"],
  ["far-future heartbeat is fresh, not an error", { latest: beat(-60) }, "working"],
];

describe("evaluateSurface", () => {
  it.each(cases)("%s", (_name, fields, expected) => {
    expect(evaluateSurface(input(fields)).state).toBe(expected);
  });

  it("reports the newest beat of either source", () => {
    const result = evaluateSurface(input({ latest: beat(100), activityAt: NOW - 50_000 }));
    expect(result.lastBeatAt).toBe(NOW - 50_000);
  });

  it("explains hung with the silence in seconds", () => {
    expect(evaluateSurface(input({ latest: beat(700), alive: true })).reason).toMatch(/no heartbeat for 700s/);
  });
});
