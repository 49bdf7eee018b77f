// The detection engine on a real bus directory with a fixed clock: states, escalations, restarts, trust.
import { chmodSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import { BusReader } from "../bus/reader";
import { buildEnvelope, publish, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import { DetectionEngine } from "./engine";

const T0 = Date.parse("2026-05-16T07:00:00Z");
const MIN = 60_000;

function beat(dir: string, from: string, atMs: number, payload: HeartbeatPayload): void {
  writeEnvelope(dir, buildEnvelope({ topic: "heartbeat", from, payload }, new Date(atMs)));
}

function engineFor(dir: string, prefs = parsePrefs({})) {
  const reader = new BusReader(dir);
  let clock = 0;
  const engine = new DetectionEngine({ reader, prefs, publish: (draft) => publish(dir, draft, new Date(clock)) });
  return {
    reader,
    at(now: number) {
      clock = now;
      reader.scan();
      return engine.evaluate(now);
    },
  };
}

function busDir(): string {
  const dir = makeTempDir("otto-bus-");
  chmodSync(dir, 0o700);
  return dir;
}

describe("DetectionEngine", () => {
  it("reports state changes once, as they happen", () => {
    const dir = busDir();
    const e = engineFor(dir);
    const first = e.at(T0);
    expect(first.changes.map((c) => [c.surface, c.from, c.to])).toEqual([
      ["otto-cli", null, "unknown"],
      ["otto-desktop", null, "unknown"],
      ["otto-launchd", null, "unknown"],
    ]);
    beat(dir, "otto-cli", T0 + 1000, { status: "working" });
    expect(e.at(T0 + 2000).changes).toMatchObject([{ surface: "otto-cli", from: "unknown", to: "working" }]);
    expect(e.at(T0 + 3000).changes).toEqual([]);
    expect(e.at(T0 + 6 * MIN).changes).toMatchObject([{ surface: "otto-cli", from: "working", to: "stale" }]);
  });

  it("publishes one nudge per brief-ack streak, and not again after a restart", () => {
    const dir = busDir();
    for (let i = 0; i < 6; i++) beat(dir, "otto-desktop", T0 + i * MIN, { status: "idle", briefAck: true, event: "Stop" });
    const first = engineFor(dir).at(T0 + 6 * MIN);
    const nudges = first.published.filter((p) => p.topic === "infinite-backlog-nudge");
    expect(nudges).toHaveLength(1);
    expect(nudges[0]).toMatchObject({ from: "otto-tray", to: "otto-desktop", payload: { streak: 6 } });
    expect(first.snapshot.surfaces.find((s) => s.id === "otto-desktop")?.state).toBe("standing-by");

    beat(dir, "otto-desktop", T0 + 7 * MIN, { status: "idle", briefAck: true, event: "Stop" });
    const restarted = engineFor(dir).at(T0 + 7 * MIN + 1000);
    expect(restarted.published.filter((p) => p.topic === "infinite-backlog-nudge")).toEqual([]);
  });

  it("publishes one quorum per episode and adopts it after a restart", () => {
    const dir = busDir();
    beat(dir, "otto-desktop", T0, { status: "idle" });
    beat(dir, "otto-launchd", T0 + 1000, { status: "idle" });
    const e = engineFor(dir);
    const first = e.at(T0 + 2000);
    const quorum = first.published.filter((p) => p.topic === "standing-by-quorum");
    expect(quorum).toHaveLength(1);
    expect(quorum[0]?.payload).toMatchObject({ surfaces: ["otto-desktop", "otto-launchd"], quorumSize: 2, windowMinutes: 10 });
    expect(first.snapshot.quorum.active).toBe(true);
    expect(e.at(T0 + 3000).published).toEqual([]);
    expect(engineFor(dir).at(T0 + 4000).published).toEqual([]);
  });

  it("never counts Otto Tray's own envelopes as a surface's activity", () => {
    const dir = busDir();
    beat(dir, "otto-tray", T0, { status: "working" });
    const result = engineFor(dir).at(T0 + 1000);
    expect(result.snapshot.surfaces.every((s) => s.state === "unknown")).toBe(true);
  });

  it("publishes nothing on an untrusted bus, and says why", () => {
    const dir = busDir();
    beat(dir, "otto-desktop", T0, { status: "idle" });
    beat(dir, "otto-launchd", T0, { status: "idle" });
    chmodSync(dir, 0o777);
    const result = engineFor(dir).at(T0 + 1000);
    expect(result.published).toEqual([]);
    expect(result.snapshot.busTrusted).toBe(false);
    expect(result.snapshot.busProblem).toMatch(/writable by other users/);
  });

  it("flags all surfaces silent at once (sleep or outage, not stuck)", () => {
    const dir = busDir();
    for (const s of ["otto-cli", "otto-desktop", "otto-launchd"]) beat(dir, s, T0, { status: "working" });
    expect(engineFor(dir).at(T0 + 20 * MIN).snapshot.allSilent).toBe(true);
  });

  it("reports a dead pid as offline", () => {
    const dir = busDir();
    beat(dir, "otto-cli", T0, { status: "working", pid: 2 ** 31 - 2 });
    const cli = engineFor(dir).at(T0 + 1000).snapshot.surfaces.find((s) => s.id === "otto-cli");
    expect(cli).toMatchObject({ state: "offline", alive: false });
  });

  it("takes the pid the hooks report over a pty host's, and the host's when there is no other", () => {
    const dir = busDir();
    beat(dir, "otto-cli", T0, { status: "working", pid: process.pid, event: "PreToolUse" });
    beat(dir, "otto-cli", T0 + 1000, { status: "alive", waiting: "Bash command: npm test", pid: 2 ** 31 - 2, event: "PtyScreen" });
    expect(engineFor(dir).at(T0 + 2000).snapshot.surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ pid: process.pid, alive: true, state: "waiting" });
    const hostOnly = busDir();
    beat(hostOnly, "otto-cli", T0, { status: "alive", pid: process.pid, event: "PtyScreen" });
    expect(engineFor(hostOnly).at(T0 + 1000).snapshot.surfaces.find((s) => s.id === "otto-cli")?.pid).toBe(process.pid);
  });

  it("counts a modified activity file as an alive beat for a surface that does not use the bus", () => {
    const dir = busDir();
    const log = join(makeTempDir(), "loop.log");
    writeFileSync(log, "tick\n");
    utimesSync(log, new Date(T0 - 30_000), new Date(T0 - 30_000));
    const prefs = parsePrefs({ surfaces: [{ id: "otto-launchd", activityFiles: [log, join(dir, "missing.md")] }] });
    const e = engineFor(dir, prefs);
    expect(e.at(T0).snapshot.surfaces[0]).toMatchObject({ id: "otto-launchd", state: "working", lastHeartbeatAt: new Date(T0 - 30_000).toISOString() });
    expect(e.at(T0 + 10 * MIN).snapshot.surfaces[0]?.state).toBe("stale");
    utimesSync(log, new Date(T0 + 10 * MIN), new Date(T0 + 10 * MIN));
    expect(e.at(T0 + 10 * MIN + 1000).snapshot.surfaces[0]?.state).toBe("working");
  });
});
