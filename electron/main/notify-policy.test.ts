// Which snapshots notify and which do not: new events once, never repeats, launch behaviour, rescued work, memory.
import { describe, expect, it } from "vitest";
import type { AppSnapshot, SurfaceView } from "../../core/api";
import { snapshotWith, surface } from "../../renderer/src/test-fixtures";
import { NotificationPolicy, type RescuedBranch } from "./notify-policy";

const working = (id = "otto-cli") => surface({ id });
const waiting = (text: string | null = "Bash(npm test)", id = "otto-cli") => surface({ id, state: "waiting", waiting: text });
const of = (...surfaces: SurfaceView[]) => snapshotWith(surfaces);
const titles = (list: { title: string }[]) => list.map((n) => n.title);

function branch(name: string, time = "2026-05-16T09:00:00Z"): RescuedBranch {
  return { branch: name, time, identity: "otto-cli", subject: `rescue ${name}`, files: ["a.ts", "b.ts"] };
}

describe("NotificationPolicy: surface events", () => {
  it("notifies once when a surface starts waiting, naming the prompt and the surface to open", () => {
    const policy = new NotificationPolicy();
    expect(policy.next(of(working()))).toEqual([]);
    const [n, ...rest] = policy.next(of(waiting()));
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: "otto-cli is waiting for you", body: "Bash(npm test)", surface: "otto-cli" });
  });

  it("does not repeat an event however many snapshots show it", () => {
    const policy = new NotificationPolicy();
    policy.next(of(working()));
    expect(policy.next(of(waiting()))).toHaveLength(1);
    for (let i = 0; i < 1000; i++) expect(policy.next(of(waiting()))).toEqual([]);
  });

  it("notifies again when the surface waits again after working", () => {
    const policy = new NotificationPolicy();
    expect(policy.next(of(waiting()))).toHaveLength(1);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(waiting()))).toHaveLength(1);
  });

  it("notifies a new prompt while the surface keeps waiting", () => {
    const policy = new NotificationPolicy();
    policy.next(of(waiting("Bash(npm test)")));
    expect(titles(policy.next(of(waiting("Edit(src/a.ts)"))))).toEqual(["otto-cli is waiting for you"]);
  });

  it("notifies hung once per silence, and again after a new beat and a new silence", () => {
    const policy = new NotificationPolicy();
    const hung = (beat: string) => surface({ state: "hung", lastHeartbeatAt: beat });
    const [n] = policy.next(of(hung("2026-05-16T09:48:00Z")));
    expect(n).toMatchObject({ title: "otto-cli looks hung", body: "No heartbeat for 12m 00s while its process is alive.", surface: "otto-cli" });
    expect(policy.next(of(hung("2026-05-16T09:48:00Z")))).toEqual([]);
    expect(policy.next(of(hung("2026-05-16T09:49:30Z")))).toHaveLength(1);
  });

  it("notifies standing-by once per idle stretch", () => {
    const policy = new NotificationPolicy();
    const standing = (idleSince: string) => surface({ state: "standing-by", idleSince, briefAckStreak: 6 });
    expect(policy.next(of(standing("2026-05-16T09:40:00Z")))).toMatchObject([{ title: "otto-cli is standing by", surface: "otto-cli" }]);
    expect(policy.next(of({ ...standing("2026-05-16T09:40:00Z"), briefAckStreak: 7 }))).toEqual([]);
    expect(policy.next(of(standing("2026-05-16T09:58:00Z")))).toHaveLength(1);
  });

  it("does not notify working, idle, stale, offline or unknown surfaces", () => {
    const policy = new NotificationPolicy();
    const quiet = (["working", "idle", "stale", "offline", "unknown"] as const).map((state) => surface({ id: `s-${state}`, state }));
    expect(policy.next(of(...quiet))).toEqual([]);
  });

  it("notifies each surface's event separately", () => {
    const policy = new NotificationPolicy();
    expect(policy.next(of(waiting("A", "one"), waiting("B", "two"))).map((n) => n.surface)).toEqual(["one", "two"]);
    expect(policy.next(of(waiting("A", "one"), waiting("B", "two"), waiting("C", "three"))).map((n) => n.surface)).toEqual(["three"]);
  });

  it("cleans and cuts untrusted bus text in titles and bodies", () => {
    const policy = new NotificationPolicy();
    const [n] = policy.next(of(surface({ id: "otto-cli", label: "x\u001b[2Jy\u202e", state: "waiting", waiting: `Bash(\u001b]0;t\u0007rm)\n${"z".repeat(5000)}` })));
    expect(n!.title).toBe("xy is waiting for you");
    expect(n!.body.startsWith("Bash(rm) zzz")).toBe(true);
    expect(Array.from(n!.body).length).toBeLessThanOrEqual(200);
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
    const policy = new NotificationPolicy();
    expect(policy.next(quorum("ep-1"))).toMatchObject([{ title: "Quorum: a and Bee idle together", surface: null }]);
    expect(policy.next(quorum("ep-1"))).toEqual([]);
    expect(policy.next(quorum("ep-2"))).toHaveLength(1);
  });

  it("keys a quorum without an episode id on its start time", () => {
    const policy = new NotificationPolicy();
    expect(policy.next(quorum(null, "2026-05-16T09:50:00Z"))).toHaveLength(1);
    expect(policy.next(quorum(null, "2026-05-16T09:50:00Z"))).toEqual([]);
  });

  it("notifies once that the bus cannot be trusted", () => {
    const policy = new NotificationPolicy();
    const untrusted = snapshotWith([working()], { trusted: false });
    expect(policy.next(untrusted)).toMatchObject([{ title: "Otto Tray cannot trust the bus", surface: null }]);
    expect(policy.next(untrusted)).toEqual([]);
  });

  it("says once that every surface is silent instead of announcing each as hung", () => {
    const policy = new NotificationPolicy();
    const silent = snapshotWith([surface({ id: "a", state: "hung" }), surface({ id: "b", state: "hung" })]);
    silent.detector.allSilent = true;
    expect(titles(policy.next(silent))).toEqual(["Every surface is silent"]);
    const stillHung = snapshotWith([surface({ id: "a", state: "hung" }), surface({ id: "b", state: "hung" })]);
    expect(policy.next(stillHung)).toEqual([]);
  });
});

describe("NotificationPolicy: launch, pause and memory", () => {
  it("notifies the events already present at launch once", () => {
    const policy = new NotificationPolicy();
    expect(titles(policy.next(of(waiting())))).toEqual(["otto-cli is waiting for you"]);
    expect(policy.next(of(waiting()))).toEqual([]);
  });

  it("returns nothing while paused, and on resume notifies only events still on", () => {
    const policy = new NotificationPolicy();
    policy.next(of(working("a"), working("b")));
    expect(policy.next(of(waiting("A", "a"), waiting("B", "b")), undefined, { paused: true })).toEqual([]);
    expect(policy.next(of(waiting("A", "a"), working("b")), undefined, { paused: true })).toEqual([]);
    expect(policy.next(of(waiting("A", "a"), working("b"))).map((n) => n.surface)).toEqual(["a"]);
  });

  it("forgets events that ended: memory holds only what is on now", () => {
    const policy = new NotificationPolicy();
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
    const policy = new NotificationPolicy();
    expect(policy.next(of(working()), [branch("otto/rescue/1")])).toEqual([]);
    const [n, ...rest] = policy.next(of(working()), [branch("otto/rescue/1"), branch("otto/rescue/2")]);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ title: "The pool rescued work", body: "otto/rescue/2: rescue otto/rescue/2 (2 files)", surface: null });
    expect(policy.next(of(working()), [branch("otto/rescue/1"), branch("otto/rescue/2")])).toEqual([]);
  });

  it("keeps the last list when a step brings none", () => {
    const policy = new NotificationPolicy();
    policy.next(of(working()), []);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(working()), [branch("r1")])).toHaveLength(1);
    expect(policy.next(of(working()))).toEqual([]);
    expect(policy.next(of(working()), [branch("r1")])).toEqual([]);
  });

  it("summarises many branches rescued at once in one notification", () => {
    const policy = new NotificationPolicy();
    policy.next(of(working()), []);
    const list = ["r1", "r2", "r3", "r4", "r5"].map((b) => branch(b));
    expect(policy.next(of(working()), list)).toMatchObject([{ title: "The pool rescued work on 5 branches", body: "r1, r2, r3, r4, r5" }]);
  });

  it("forgets branches no longer listed", () => {
    const policy = new NotificationPolicy();
    policy.next(of(working()), [branch("r1"), branch("r2")]);
    policy.next(of(working()), []);
    expect(policy.remembered).toBe(0);
  });
});
