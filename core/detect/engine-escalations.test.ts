// Each escalation exactly once: long streaks, quorum episodes across restarts, failed writes, future-stamped beats.
import { spawnSync } from "node:child_process";
import { chmodSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import type { HeartbeatPayload } from "../bus/envelope";
import { MAX_HISTORY_PER_SURFACE } from "../bus/heartbeat-index";
import { BusReader } from "../bus/reader";
import { buildEnvelope, publish, writeEnvelope } from "../bus/writer";
import { parsePrefs } from "../prefs/load";
import { DetectorService } from "../service";
import { DetectionEngine, type EngineResult, MAX_REMEMBERED_STREAKS, type QuorumScope } from "./engine";
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
function detector(dir: string, prefs = parsePrefs({}), quorumScope?: () => QuorumScope) {
  const reader = new BusReader(dir);
  let clock = 0;
  const engine = new DetectionEngine({
    reader,
    prefs,
    stateFile: new PublisherStateFile(dir),
    publish: (draft) => publish(dir, draft, new Date(clock)),
    ...(quorumScope ? { quorumScope } : {}),
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

describe("a streak whose first beats left the bus while the reset before them stayed", () => {
  const reset = { status: "working", event: "UserPromptSubmit" } as const;
  const brief = { status: "idle", briefAck: true, event: "Stop" } as const;

  it("a restarted detector service does not nudge the streak again (14 beats, the streak's first 7 removed)", async () => {
    const dir = busDir();
    const now = Date.now();
    // A reset, then 13 brief acks (the threshold is 6): one streak, named by its first ack.
    const files = [beat(dir, "otto-desktop", now - 14 * SEC, reset)];
    for (let i = 13; i >= 1; i--) files.push(beat(dir, "otto-desktop", now - i * SEC, brief));
    const firstRun = await nudgesOfOneRun(dir);
    expect(firstRun).toHaveLength(1);
    // The streak's first 7 acks leave the bus (cleaned or deleted by another tool); the reset before them stays.
    for (const file of files.slice(1, 8)) rmSync(join(dir, file));
    expect(await nudgesOfOneRun(dir)).toEqual([]);
  });

  /** Starts a detector service on `dir` (it becomes the publisher and evaluates once), stops it, returns its nudges. */
  async function nudgesOfOneRun(dir: string): Promise<string[]> {
    const service = new DetectorService({ busDir: dir, prefs: parsePrefs({}), tickMs: 60_000 });
    const nudges: string[] = [];
    service.on("published", (e) => {
      if (e.topic === "infinite-backlog-nudge") nudges.push((e.payload as { streakId: string }).streakId);
    });
    try {
      await service.start();
      expect(service.isPublisher).toBe(true);
    } finally {
      await service.stop();
    }
    return nudges;
  }

  it("the state file is not rewritten at every beat while no streak runs (only where a streak ended is kept)", () => {
    const dir = busDir();
    const d = detector(dir);
    const state = new PublisherStateFile(dir);
    d.at(T0, beat(dir, "otto-cli", T0, reset));
    // A mark any rewrite (a new file renamed into place) would lose.
    const mark = new Date("2001-01-01T00:00:00Z");
    utimesSync(state.path, mark, mark);
    for (let i = 1; i <= 20; i++) d.at(T0 + i * SEC, beat(dir, "otto-cli", T0 + i * SEC, reset));
    expect(statSync(state.path).mtime).toEqual(mark);
    expect(state.load().state.streaks["otto-cli"]).toEqual({ count: 0, lastAt: T0, lastId: expect.any(String) as unknown });
  });

  it("whichever beats are removed before a restart, no streak is nudged twice, and none that reached the threshold in view is missed", () => {
    // Beats: resets (r) and brief acks (a) in any order; a detector sees them all, some files are then removed,
    // a new detector starts on the bus and more beats follow. Streak k: the acks after the k-th reset.
    const kind = fc.constantFrom<"r" | "a">("r", "a", "a", "a");
    const scenario = fc
      .record({ before: fc.array(kind, { minLength: 1, maxLength: 24 }), after: fc.array(kind, { maxLength: 10 }) })
      .chain(({ before, after }) => fc.record({ before: fc.constant(before), after: fc.constant(after), removed: fc.subarray(before.map((_, i) => i)) }));
    fc.assert(
      fc.property(scenario, ({ before, after, removed }) => {
        const dir = busDir();
        const kinds = [...before, ...after];
        const streakOf = new Map<string, number>();
        const write = (i: number) => {
          const name = beat(dir, "otto-cli", T0 + i * SEC, kinds[i] === "r" ? reset : brief);
          streakOf.set(`otto-cli:${name.replace(/\.json$/, "")}`, kinds.slice(0, i + 1).filter((k) => k === "r").length);
          return name;
        };
        const nudged: string[] = [];
        const collect = (result: EngineResult) => {
          for (const e of topics(result.published, "infinite-backlog-nudge")) nudged.push((e.payload as { streakId: string }).streakId);
        };
        const d = detector(dir);
        const files = before.map((_, i) => {
          const name = write(i);
          collect(d.at(T0 + i * SEC + 1, name));
          return name;
        });
        for (const i of removed) rmSync(join(dir, files[i] as string));
        const restarted = detector(dir);
        collect(restarted.at(T0 + before.length * SEC));
        for (let i = before.length; i < kinds.length; i++) collect(restarted.at(T0 + i * SEC + 1, write(i)));

        const perStreak = new Map<number, number>();
        for (const id of nudged) {
          const streak = streakOf.get(id);
          expect(streak, `nudge ${id} names a beat of this run`).toBeDefined();
          perStreak.set(streak as number, (perStreak.get(streak as number) ?? 0) + 1);
        }
        for (const [streak, count] of perStreak) expect(count, `nudges of streak ${streak}`).toBe(1);
        // Streaks that reached the threshold before the restart, or began after it, are nudged: the one running
        // across the restart may lose its count with its removed beats (the restart cannot tell them from unseen ones).
        const lastBefore = before.filter((k) => k === "r").length;
        for (const streak of streaksReaching(6, before)) expect(perStreak.get(streak), `streak ${streak} (before the restart)`).toBe(1);
        for (const streak of streaksReaching(6, kinds)) if (streak > lastBefore) expect(perStreak.get(streak), `streak ${streak} (after the restart)`).toBe(1);
      }),
      { numRuns: 100 },
    );
  });
});

/** Which streaks (numbered by the resets before them) reach `threshold` brief acks. */
function streaksReaching(threshold: number, kinds: readonly ("r" | "a")[]): number[] {
  const reached: number[] = [];
  let streak = 0;
  let run = 0;
  for (const k of kinds) {
    if (k === "r") {
      streak++;
      run = 0;
    } else if (++run === threshold) reached.push(streak);
  }
  return reached;
}

describe("quorum episodes", () => {
  // Sessions idle at their prompt send no more beats; their live pid (this test's) keeps them counting.
  const idle = (dir: string, surface: string, at: number) => beat(dir, surface, at, { status: "idle", event: "Stop", pid: process.pid });
  const working = (dir: string, surface: string, at: number) => beat(dir, surface, at, { status: "working", event: "UserPromptSubmit" });

  it("leaves the quorum to a connected bridge, marks it local while the bridge is cut off, and shares its members", () => {
    const dir = busDir();
    let scope: QuorumScope = "machines";
    const d = detector(dir, parsePrefs({}), () => scope);
    idle(dir, "otto-desktop", T0);
    idle(dir, "otto-launchd", T0 + SEC);
    const connected = d.at(T0 + 2 * SEC);
    expect(topics(connected.published, "standing-by-quorum")).toEqual([]);
    expect(connected.snapshot.quorum.members).toEqual([
      { id: "otto-desktop", idleSince: new Date(T0).toISOString() },
      { id: "otto-launchd", idleSince: new Date(T0 + SEC).toISOString() },
    ]);
    scope = "local";
    const cutOff = topics(d.at(T0 + 3 * SEC).published, "standing-by-quorum");
    expect(cutOff.map((e) => e.payload)).toEqual([expect.objectContaining({ scope: "local", surfaces: ["otto-desktop", "otto-launchd"] })]);
  });

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
