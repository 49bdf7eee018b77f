// Each escalation exactly once: long streaks, quorum episodes across restarts, failed writes, future-stamped beats.
import { spawnSync } from "node:child_process";
import { chmodSync, utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import { MAX_HISTORY_PER_SURFACE } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, publish, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import { DetectionEngine, type EngineResult, MAX_REMEMBERED_STREAKS } from "./engine";
import { PublisherStateFile } from "./publisher-state";

const T0 = Date.parse("2026-05-16T07:00:00Z");
const SEC = 1000;
const MIN = 60_000;

function busDir(): string {
  const dir = makeTempDir("otto-bus-");
  chmodSync(dir, 0o700);
  return dir;
}

function beat(dir: string, from: string, atMs: number, payload: HeartbeatPayload): string {
  const envelope = buildEnvelope({ topic: "heartbeat", from, payload }, new Date(atMs));
  writeEnvelope(dir, envelope);
  return `${envelope.id}.json`;
}

/** A publishing engine as a detector process runs it: real reader, real writer, the bus's state file. */
function detector(dir: string, prefs = parsePrefs({})) {
  const reader = new BusReader(dir);
  let clock = 0;
  const engine = new DetectionEngine({
    reader,
    prefs,
    stateFile: new PublisherStateFile(dir),
    publish: (draft) => publish(dir, draft, new Date(clock)),
  });
  return {
    reader,
    engine,
    at(now: number, changed?: string) {
      clock = now;
      if (changed === undefined) reader.scan();
      else reader.refresh(changed);
      return engine.evaluate(now);
    },
  };
}

const topics = <E extends { topic: string }>(published: E[], topic: string): E[] => published.filter((p) => p.topic === topic);

/** A real write failure even for root: an immutable directory (chattr) where modes do not bind. */
function makeUnwritable(dir: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500);
    return () => chmodSync(dir, 0o700);
  }
  const set = spawnSync("chattr", ["+i", dir]);
  if (set.status !== 0) return undefined;
  return () => void spawnSync("chattr", ["-i", dir]);
}

describe("standing-by streaks longer than the kept history", () => {
  it("a streak of more brief-acks than the history keeps publishes exactly one nudge", () => {
    const dir = busDir();
    const d = detector(dir);
    beat(dir, "otto-desktop", T0, { status: "working", event: "UserPromptSubmit" });
    d.at(T0);
    const total = MAX_HISTORY_PER_SURFACE + 200;
    const nudges = [];
    for (let i = 1; i <= total; i++) {
      const name = beat(dir, "otto-desktop", T0 + i * SEC, { status: "idle", briefAck: true, event: "Stop" });
      nudges.push(...topics(d.at(T0 + i * SEC, name).published, "infinite-backlog-nudge"));
    }
    expect(nudges).toHaveLength(1);
    const desktop = d.at(T0 + (total + 1) * SEC).snapshot.surfaces.find((s) => s.id === "otto-desktop");
    expect(desktop).toMatchObject({ state: "standing-by", briefAckStreak: total });

    // A fresh detector (a restart) reads the beats still on the bus and the saved streak: no second nudge.
    expect(topics(detector(dir).at(T0 + (total + 2) * SEC).published, "infinite-backlog-nudge")).toEqual([]);
  });

  it("brief-acks written in the same millisecond and read one by one reach standing-by and one nudge", () => {
    const dir = busDir();
    const d = detector(dir);
    let nudges = 0;
    for (let i = 0; i < 6; i++) {
      const name = beat(dir, "otto-cli", T0, { status: "idle", briefAck: true, event: "Stop" });
      nudges += topics(d.at(T0 + SEC, name).published, "infinite-backlog-nudge").length;
    }
    expect(d.at(T0 + 2 * SEC).snapshot.surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ state: "standing-by", briefAckStreak: 6 });
    expect(nudges).toBe(1);
  });
});

describe("quorum episodes", () => {
  // Sessions idle at their prompt send no more beats; their live pid (this test's) keeps them counting.
  const idle = (dir: string, surface: string, at: number) => beat(dir, surface, at, { status: "idle", event: "Stop", pid: process.pid });
  const working = (dir: string, surface: string, at: number) => beat(dir, surface, at, { status: "working", event: "UserPromptSubmit" });

  it("publishes a new episode that forms after the cooldown while the old envelope has not expired", () => {
    const dir = busDir();
    const d = detector(dir);
    idle(dir, "otto-desktop", T0);
    idle(dir, "otto-launchd", T0);
    expect(topics(d.at(T0 + SEC).published, "standing-by-quorum")).toHaveLength(1);
    working(dir, "otto-launchd", T0 + MIN);
    expect(d.at(T0 + MIN + SEC).snapshot.quorum.active).toBe(false);
    // 16 min after the end (cooldown 15 min), the first envelope (30 min) still lives.
    idle(dir, "otto-desktop", T0 + 17 * MIN);
    idle(dir, "otto-launchd", T0 + 17 * MIN);
    const second = topics(d.at(T0 + 17 * MIN + SEC).published, "standing-by-quorum");
    expect(second).toHaveLength(1);
    expect(second[0]?.payload).toMatchObject({ since: new Date(T0 + 17 * MIN).toISOString() });
  });

  it("a fresh detector every five minutes publishes one continuous episode once, also after its envelope expired", () => {
    const dir = busDir();
    let published = 0;
    for (let t = 0; t <= 90; t += 5) {
      // Surfaces that keep beating idle: one continuous idle run.
      for (const s of ["otto-desktop", "otto-launchd"]) beat(dir, s, T0 + t * MIN, { status: "idle" });
      published += topics(detector(dir).at(T0 + t * MIN + SEC).published, "standing-by-quorum").length;
    }
    expect(published).toBe(1);
  });

  it("counts an episode as published when its envelope is on the bus but the state was not saved after it", () => {
    const dir = busDir();
    idle(dir, "otto-desktop", T0);
    idle(dir, "otto-launchd", T0);
    const since = new Date(T0).toISOString();
    new PublisherStateFile(dir).save({
      version: 1,
      nudged: [],
      streaks: {},
      quorum: { episode: { id: "e1", since: T0, surfaces: ["otto-desktop", "otto-launchd"], published: false, lastSeenAt: T0 + SEC }, lastEndedAt: null },
    });
    const payload = { surfaces: ["otto-desktop", "otto-launchd"], windowMinutes: 10, quorumSize: 2, episodeId: "e1", since };
    publish(dir, { topic: "standing-by-quorum", payload, from: "otto-tray" }, new Date(T0 + SEC));
    expect(topics(detector(dir).at(T0 + 2 * SEC).published, "standing-by-quorum")).toEqual([]);
  });

  it("remembers the cooldown across a restart", () => {
    const dir = busDir();
    idle(dir, "otto-desktop", T0);
    idle(dir, "otto-launchd", T0);
    expect(topics(detector(dir).at(T0 + SEC).published, "standing-by-quorum")).toHaveLength(1);
    working(dir, "otto-launchd", T0 + MIN);
    detector(dir).at(T0 + MIN + SEC); // a detector sees the episode end, then stops
    idle(dir, "otto-launchd", T0 + 2 * MIN);
    const restarted = detector(dir);
    expect(topics(restarted.at(T0 + 2 * MIN + SEC).published, "standing-by-quorum")).toEqual([]);
    expect(topics(restarted.at(T0 + 16 * MIN + SEC).published, "standing-by-quorum")).toHaveLength(1);
  });

  it("publishes an escalation whose write failed on a later evaluation", () => {
    const dir = busDir();
    const d = detector(dir);
    idle(dir, "otto-desktop", T0);
    idle(dir, "otto-launchd", T0);
    d.reader.scan();
    const restore = makeUnwritable(dir);
    if (restore === undefined) return; // no way to make a directory unwritable here
    let failed: EngineResult | undefined;
    try {
      failed = d.engine.evaluate(T0 + SEC);
    } catch {
      // (The engine used to throw here, with the episode already marked published.)
    } finally {
      restore();
    }
    expect(topics(d.at(T0 + 2 * SEC).published, "standing-by-quorum")).toHaveLength(1);
    expect(topics(d.at(T0 + 3 * SEC).published, "standing-by-quorum")).toEqual([]);
    expect(failed?.published).toEqual([]);
    expect(failed?.problems.join("\n")).toMatch(/could not publish standing-by-quorum to \* \(EPERM\); will try again/);
  });
});

describe("heartbeats stamped ahead of the reader's clock", () => {
  it("do not hide a newer real beat from a running detector", () => {
    const dir = busDir();
    const now = Date.now();
    const d = detector(dir);
    const ahead = beat(dir, "otto-desktop", now + 4 * MIN, { status: "working", event: "PreToolUse" });
    d.at(now, ahead);
    const prompt = beat(dir, "otto-desktop", now + SEC, { status: "alive", waiting: "Allow Bash: rm -rf build?" });
    const desktop = d.at(now + 2 * SEC, prompt).snapshot.surfaces.find((s) => s.id === "otto-desktop");
    expect(desktop).toMatchObject({ state: "waiting", waiting: "Allow Bash: rm -rf build?" });
  });

  it("do not hide a newer real beat from a fresh read (ordered by when the file was written)", () => {
    const dir = busDir();
    const now = Date.now();
    const ahead = beat(dir, "otto-desktop", now + 4 * MIN, { status: "working", event: "PreToolUse" });
    utimesSync(`${dir}/${ahead}`, new Date(now - 10 * SEC), new Date(now - 10 * SEC));
    beat(dir, "otto-desktop", now - 5 * SEC, { status: "alive", waiting: "Allow Bash: rm -rf build?" });
    const desktop = detector(dir).at(now).snapshot.surfaces.find((s) => s.id === "otto-desktop");
    expect(desktop?.state).toBe("waiting");
  });
});

describe("remembered streaks", () => {
  it("keeps at most MAX_REMEMBERED_STREAKS, the watched surfaces' first, however many the state file brings", () => {
    const dir = busDir();
    const streak = (i: number) => ({ startId: `start-${i}`, startAt: T0, count: 3, lastAt: T0 + i, lastId: `last-${i}` });
    const others = Object.fromEntries(Array.from({ length: MAX_REMEMBERED_STREAKS + 100 }, (_, i) => [`gone-${i}`, streak(i)]));
    const stateFile = new PublisherStateFile(dir);
    stateFile.save({ version: 1, nudged: [], streaks: { ...others, "otto-cli": streak(-1) }, quorum: { episode: null, lastEndedAt: null } });
    const d = detector(dir);
    d.at(T0 + MIN);
    const saved = stateFile.load();
    expect(saved.ok).toBe(true);
    const surfaces = Object.keys(saved.state.streaks);
    expect(surfaces.length).toBe(MAX_REMEMBERED_STREAKS);
    expect(surfaces).toContain("otto-cli");
    // The oldest others went first.
    expect(surfaces).not.toContain("gone-0");
    expect(surfaces).toContain(`gone-${MAX_REMEMBERED_STREAKS + 99}`);
  });
});
