// Which snapshots notify and which do not: new events once, never repeats, launch behaviour, rescued work, memory, and the per-surface interval.
import { describe, expect, it } from "vitest";
import type { AppSnapshot, SurfaceView } from "../../core/api";
import { snapshotWith, surface } from "../../renderer/src/test-fixtures";
import { NotificationPolicy, type RescuedBranch } from "./notify-policy";

const working = (id = "otto-cli") => surface({ id });
const waiting = (text: string | null = "Bash(npm test)", id = "otto-cli") => surface({ id, state: "waiting", waiting: text });
const of = (...surfaces: SurfaceView[]) => snapshotWith(surfaces);
const titles = (list: { title: string }[]) => list.map((n) => n.title);
/** These tests are about which events notify: no interval between a surface's notifications. */
const EVERY_EVENT = { minIntervalSeconds: 0 };

function branch(name: string, time = "2026-05-16T09:00:00Z"): RescuedBranch {
  return { branch: name, time, identity: "otto-cli", subject: `rescue ${name}`, files: ["a.ts", "b.ts"] };
}

describe("NotificationPolicy: surface events", () => {
  it("notifies once when a surface starts waiting, naming the prompt and the surface to open", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(of(working()))).toEqual([]);
    const [n, ...rest] = policy.next(of(waiting()));
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: "otto-cli is waiting for you", body: "Bash(npm test)", surface: "otto-cli" });
  });

  it("does not repeat an event however many snapshots show it", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(working()));
    expect(policy.next(of(waiting()))).toHaveLength(1);
    for (let i = 0; i < 1000; i++) expect(policy.next(of(waiting()))).toEqual([]);
  });

  it("notifies again when the surface waits again after working", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(of(waiting()))).toHaveLength(1);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(waiting()))).toHaveLength(1);
  });

  it("notifies a new prompt while the surface keeps waiting", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(waiting("Bash(npm test)")));
    expect(titles(policy.next(of(waiting("Edit(src/a.ts)"))))).toEqual(["otto-cli is waiting for you"]);
  });

  it("notifies hung once per silence, and again after a new beat and a new silence", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const hung = (beat: string) => surface({ state: "hung", lastHeartbeatAt: beat });
    const [n] = policy.next(of(hung("2026-05-16T09:48:00Z")));
    expect(n).toMatchObject({ title: "otto-cli looks hung", body: "No heartbeat for 12m 00s while its process is alive.", surface: "otto-cli" });
    expect(policy.next(of(hung("2026-05-16T09:48:00Z")))).toEqual([]);
    expect(policy.next(of(hung("2026-05-16T09:49:30Z")))).toHaveLength(1);
  });

  it("notifies standing-by once per idle stretch", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const standing = (idleSince: string) => surface({ state: "standing-by", idleSince, briefAckStreak: 6 });
    expect(policy.next(of(standing("2026-05-16T09:40:00Z")))).toMatchObject([{ title: "otto-cli is standing by", surface: "otto-cli" }]);
    expect(policy.next(of({ ...standing("2026-05-16T09:40:00Z"), briefAckStreak: 7 }))).toEqual([]);
    expect(policy.next(of(standing("2026-05-16T09:58:00Z")))).toHaveLength(1);
  });

  it("does not notify working, idle, stale, offline or unknown surfaces", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const quiet = (["working", "idle", "stale", "offline", "unknown"] as const).map((state) => surface({ id: `s-${state}`, state }));
    expect(policy.next(of(...quiet))).toEqual([]);
  });

  it("notifies each surface's event separately", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(of(waiting("A", "one"), waiting("B", "two"))).map((n) => n.surface)).toEqual(["one", "two"]);
    expect(policy.next(of(waiting("A", "one"), waiting("B", "two"), waiting("C", "three"))).map((n) => n.surface)).toEqual(["three"]);
  });

  it("cleans and cuts untrusted bus text in titles and bodies", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const [n] = policy.next(of(surface({ id: "otto-cli", label: "x\u001b[2Jy\u202e", state: "waiting", waiting: `Bash(\u001b]0;t\u0007rm)\n${"z".repeat(5000)}` })));
    expect(n!.title).toBe("xy is waiting for you");
    expect(n!.body.startsWith("Bash(rm) zzz")).toBe(true);
    expect(Array.from(n!.body).length).toBeLessThanOrEqual(200);
  });
});

describe("NotificationPolicy: a bus that does not exist yet", () => {
  it("is not announced as a bus that cannot be trusted", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(titles(policy.next(snapshotWith([surface({ state: "unknown", lastHeartbeatAt: null })], { missing: true })))).toEqual([]);
    expect(titles(new NotificationPolicy(EVERY_EVENT).next(snapshotWith([surface()], { trusted: false })))).toEqual(["Otto Tray cannot trust the bus"]);
  });

  it("does not announce every surface silent while a surface's process is known alive", () => {
    const silent = (alive: boolean | null) => snapshotWith([surface({ state: "stale", pid: 4242, alive }), surface({ id: "b", state: "stale" })], { allSilent: true });
    expect(titles(new NotificationPolicy(EVERY_EVENT).next(silent(null)))).toContain("Every surface is silent");
    expect(titles(new NotificationPolicy(EVERY_EVENT).next(silent(true)))).not.toContain("Every surface is silent");
  });
});

describe("NotificationPolicy: quorum, bus and silence", () => {
  const quorum = (episodeId: string | null, since: string | null = null): AppSnapshot => {
    const s = snapshotWith([surface({ id: "a", state: "idle" }), surface({ id: "b", label: "Bee", state: "idle" })], { quorum: ["a", "b"] });
    s.detector.quorum.episodeId = episodeId;
    s.detector.quorum.since = since;
    return s;
  };

  it("notifies a quorum episode once, not per member, and a new episode again", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(quorum("ep-1"))).toMatchObject([{ title: "Quorum: a and Bee idle together", surface: null }]);
    expect(policy.next(quorum("ep-1"))).toEqual([]);
    expect(policy.next(quorum("ep-2"))).toHaveLength(1);
  });

  it("keys a quorum without an episode id on its start time", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(quorum(null, "2026-05-16T09:50:00Z"))).toHaveLength(1);
    expect(policy.next(quorum(null, "2026-05-16T09:50:00Z"))).toEqual([]);
  });

  it("notifies once that the bus cannot be trusted", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const untrusted = snapshotWith([working()], { trusted: false });
    expect(policy.next(untrusted)).toMatchObject([{ title: "Otto Tray cannot trust the bus", surface: null }]);
    expect(policy.next(untrusted)).toEqual([]);
  });

  it("says once that every surface is silent instead of announcing each as hung", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    const silent = snapshotWith([surface({ id: "a", state: "hung" }), surface({ id: "b", state: "hung" })]);
    silent.detector.allSilent = true;
    expect(titles(policy.next(silent))).toEqual(["Every surface is silent"]);
    const stillHung = snapshotWith([surface({ id: "a", state: "hung" }), surface({ id: "b", state: "hung" })]);
    expect(policy.next(stillHung)).toEqual([]);
  });
});

describe("NotificationPolicy: launch, pause and memory", () => {
  it("notifies the events already present at launch once", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(titles(policy.next(of(waiting())))).toEqual(["otto-cli is waiting for you"]);
    expect(policy.next(of(waiting()))).toEqual([]);
  });

  it("returns nothing while paused, and on resume notifies only events still on", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(working("a"), working("b")));
    expect(policy.next(of(waiting("A", "a"), waiting("B", "b")), undefined, { paused: true })).toEqual([]);
    expect(policy.next(of(waiting("A", "a"), working("b")), undefined, { paused: true })).toEqual([]);
    expect(policy.next(of(waiting("A", "a"), working("b"))).map((n) => n.surface)).toEqual(["a"]);
  });

  it("forgets events that ended: memory holds only what is on now", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    for (let i = 0; i < 500; i++) {
      policy.next(of(waiting(`prompt ${i}`)));
      policy.next(of(working()));
    }
    expect(policy.remembered).toBe(0);
    policy.next(of(waiting("x", "a"), waiting("y", "b")));
    expect(policy.remembered).toBe(2);
  });
});

describe("NotificationPolicy: rescued work", () => {
  it("takes the first list as the baseline and notifies only branches that appear later", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    expect(policy.next(of(working()), [branch("otto/rescue/1")])).toEqual([]);
    const [n, ...rest] = policy.next(of(working()), [branch("otto/rescue/1"), branch("otto/rescue/2")]);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: "The pool rescued work", body: "otto/rescue/2: rescue otto/rescue/2 (2 files)", surface: null });
    expect(policy.next(of(working()), [branch("otto/rescue/1"), branch("otto/rescue/2")])).toEqual([]);
  });

  it("keeps the last list when a step brings none", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(working()), []);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(working()), [branch("r1")])).toHaveLength(1);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(working()), [branch("r1")])).toEqual([]);
  });

  it("summarises many branches rescued at once in one notification", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(working()), []);
    const list = ["r1", "r2", "r3", "r4", "r5"].map((b) => branch(b));
    expect(policy.next(of(working()), list)).toMatchObject([{ title: "The pool rescued work on 5 branches", body: "r1, r2, r3, r4, r5" }]);
  });

  it("forgets branches no longer listed", () => {
    const policy = new NotificationPolicy(EVERY_EVENT);
    policy.next(of(working()), [branch("r1"), branch("r2")]);
    policy.next(of(working()), []);
    expect(policy.remembered).toBe(0);
  });
});

describe("NotificationPolicy: at most one notification per surface per interval", () => {
  const T = Date.parse("2026-05-16T10:00:00Z");
  const at = (seconds: number) => ({ now: T + seconds * 1000 });

  it("a surface flapping between waiting and working notifies at most once per interval (60 snapshots)", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    const sent = [];
    // 60 snapshots 5 s apart (300 s): waiting, working, waiting...
    for (let i = 0; i < 60; i++) sent.push(...policy.next(of(i % 2 === 0 ? waiting() : working()), undefined, at(i * 5)));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(300 / 60));
    // What was held back is told, not lost: the next notice counts the times the surface turned waiting meanwhile.
    expect(sent[1]?.body).toBe("Bash(npm test) (5 more since the last notification)");
  });

  it("a waiting surface whose prompt text changes at every snapshot notifies once (60 snapshots, one interval)", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    const sent = [];
    for (let i = 0; i < 60; i++) sent.push(...policy.next(of(waiting(`Bash(step ${i})`)), undefined, at(i)));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toBe("Bash(step 0)");
  });

  it("when the interval passes and the surface still waits on a held prompt, one coalesced notification says so", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    expect(policy.next(of(waiting("A")), undefined, at(0))).toHaveLength(1);
    expect(policy.dueAt()).toBeUndefined();
    expect(policy.next(of(waiting("B")), undefined, at(10))).toEqual([]);
    expect(policy.next(of(waiting("C")), undefined, at(30))).toEqual([]);
    expect(policy.dueAt()).toBe(T + 60_000);
    // No new snapshot: the wiring asks again at the due time with the last one.
    expect(policy.next(of(waiting("C")), undefined, at(59))).toEqual([]);
    expect(policy.next(of(waiting("C")), undefined, at(60))).toMatchObject([{ title: "otto-cli is waiting for you", body: "C (1 more since the last notification)", surface: "otto-cli" }]);
    expect(policy.dueAt()).toBeUndefined();
    expect(policy.next(of(waiting("C")), undefined, at(200))).toEqual([]);
  });

  it("a held event that ended is not announced, but the next notice of that surface counts it", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    policy.next(of(waiting("A")), undefined, at(0));
    policy.next(of(working()), undefined, at(5));
    policy.next(of(waiting("B")), undefined, at(10));
    policy.next(of(working()), undefined, at(20));
    expect(policy.dueAt()).toBeUndefined();
    expect(policy.next(of(working()), undefined, at(100))).toEqual([]);
    expect(policy.next(of(waiting("C")), undefined, at(300))).toMatchObject([{ body: "C (1 more since the last notification)" }]);
  });

  it("limits each surface on its own, and leaves bus-wide events alone", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    expect(policy.next(of(waiting("A", "one")), undefined, at(0))).toHaveLength(1);
    expect(policy.next(of(waiting("A", "one"), waiting("B", "two")), undefined, at(1)).map((n) => n.surface)).toEqual(["two"]);
    const untrusted = snapshotWith([waiting("A", "one"), waiting("B", "two")], { trusted: false });
    expect(titles(policy.next(untrusted, undefined, at(2)))).toEqual(["Otto Tray cannot trust the bus"]);
  });

  it("takes a clock that went back as the interval having passed (it never holds a notice for longer than the interval)", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    policy.next(of(waiting("A")), undefined, at(3600));
    expect(policy.next(of(waiting("B")), undefined, at(0))).toHaveLength(1);
  });

  it("keeps memory bounded by the surfaces of the last snapshot", () => {
    const policy = new NotificationPolicy({ minIntervalSeconds: 60 });
    for (let i = 0; i < 100; i++) policy.next(of(waiting("A", `s-${i}`)), undefined, at(i));
    expect(policy.limitedSurfaces).toBe(1);
  });
});
