// What the engine derives from a history is computed again exactly when the history changes; time still moves states.
import { chmodSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import { HeartbeatIndex } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import { DetectionEngine } from "./engine";
import { HistoryFactsCache } from "./history-facts";

const T0 = Date.parse("2026-05-16T07:00:00Z");
const SEC = 1000;

function bus(): string {
  const dir = makeTempDir("otto-facts-");
  chmodSync(dir, 0o700);
  return dir;
}

const beat = (dir: string, atMs: number, payload: HeartbeatPayload) => writeEnvelope(dir, buildEnvelope({ topic: "heartbeat", from: "otto-cli", payload }, new Date(atMs)));

describe("HistoryFactsCache", () => {
  it("gives the pid of the newest beat that carries one, and a new pid as soon as a beat brings it", () => {
    const index = new HeartbeatIndex();
    const facts = new HistoryFactsCache(index);
    expect(facts.facts("otto-cli", undefined).pid).toBeUndefined();
    index.add({ id: "a", surface: "otto-cli", at: 1, status: "working", pid: 100 });
    expect(facts.facts("otto-cli", undefined).pid).toBe(100);
    index.add({ id: "b", surface: "otto-cli", at: 2, status: "working" });
    expect(facts.facts("otto-cli", undefined).pid).toBe(100);
    index.add({ id: "c", surface: "otto-cli", at: 3, status: "working", pid: 200 });
    expect(facts.facts("otto-cli", undefined).pid).toBe(200);
    // A beat re-read under the same id (a rewritten file) changes the history too.
    index.add({ id: "c", surface: "otto-cli", at: 3, status: "idle", pid: 300 });
    expect(facts.facts("otto-cli", undefined)).toMatchObject({ pid: 300, idleSince: 3 });
  });

  it("counts a brief-ack streak as beats arrive", () => {
    const index = new HeartbeatIndex();
    const facts = new HistoryFactsCache(index);
    index.add({ id: "w", surface: "otto-cli", at: 1, status: "working" });
    expect(facts.facts("otto-cli", undefined).streak.count).toBe(0);
    index.add({ id: "b1", surface: "otto-cli", at: 2, status: "idle", briefAck: true, event: "Stop" });
    index.add({ id: "b2", surface: "otto-cli", at: 3, status: "idle", briefAck: true, event: "Stop" });
    expect(facts.facts("otto-cli", undefined).streak).toMatchObject({ count: 2, startId: "b1" });
  });
});

describe("DetectionEngine over a lean reader with cached history facts", () => {
  it("keeps a live, silent, working surface working until hungAfterSeconds and flips it to hung exactly then, with no new beat", () => {
    const dir = bus();
    const prefs = parsePrefs({});
    const reader = new BusReader(dir, { lean: true, watchedSurfaces: prefs.surfaces.map((s) => s.id) });
    const engine = new DetectionEngine({ reader, prefs, isAlive: () => true });
    beat(dir, T0, { status: "working", pid: process.pid });
    reader.scan();
    const at = (ms: number) => engine.evaluate(ms).snapshot.surfaces.find((s) => s.id === "otto-cli");
    expect(at(T0 + SEC)?.state).toBe("working");
    expect(at(T0 + prefs.staleAfterSeconds * SEC)?.state).toBe("working");
    expect(at(T0 + prefs.hungAfterSeconds * SEC - 1)?.state).toBe("working");
    expect(at(T0 + prefs.hungAfterSeconds * SEC)).toMatchObject({ state: "hung", pid: process.pid });
    // A new beat with another pid: the cached facts follow it at once.
    beat(dir, T0 + prefs.hungAfterSeconds * SEC + SEC, { status: "idle", pid: 4242 });
    reader.scan();
    expect(at(T0 + prefs.hungAfterSeconds * SEC + 2 * SEC)).toMatchObject({ state: "idle", pid: 4242 });
  });
});
