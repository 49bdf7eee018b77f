// The popover's session lines as pure functions of the snapshot: words with ages, short paths, a surface's few, the others.
import { describe, expect, it } from "vitest";
import { otherSessions, sessionLine, shortCwd, surfaceSessions } from "./session-view-model";
import { NOW, session, snapshotWith, surface } from "./test-fixtures";
import { surfaceRow } from "./view-model";

describe("a session line", () => {
  it("says the state in words with for how long, the name, what it waits for, the short cwd and the branch", () => {
    expect(sessionLine(session(), NOW)).toEqual({
      pid: 4242,
      title: "repo-fix",
      word: "Waiting 1m 00s",
      tone: "attention",
      where: "…/otto/tray",
      branch: "main",
      waits: "waits for permission prompt",
      ended: false,
    });
  });

  it("names a session without a name by the start of its id, and says nothing of waiting unless it waits", () => {
    const line = sessionLine(session({ name: null, state: "working", waitingFor: "stale", since: "2026-05-16T09:59:55Z", branch: null }), NOW);
    expect(line).toMatchObject({ title: "0f3c9a1e", word: "Working 5s", tone: "ok", waits: null, branch: null });
  });

  it("shows an ended session as ended, without an age and never as working", () => {
    const line = sessionLine(session({ state: "ended", since: "2026-05-16T09:59:00Z", waitingFor: null }), NOW);
    expect(line).toMatchObject({ word: "Ended", tone: "muted", ended: true, waits: null });
  });

  it("gives every state a word, and an unknown start time no age", () => {
    for (const state of ["working", "hung", "idle", "waiting", "ended", "unknown"] as const) expect(sessionLine(session({ state, since: null }), NOW).word).toMatch(/^[A-Z][a-z]+$/);
    expect(sessionLine(session({ state: "hung" }), NOW)).toMatchObject({ word: "Hung 1m 00s", tone: "alarm" });
  });

  it("shortens a path to its last two parts", () => {
    expect(shortCwd("/Users/ann/src/repo/pkg")).toBe("…/repo/pkg");
    expect(shortCwd("/tmp/repo")).toBe("/tmp/repo");
    expect(shortCwd("/")).toBe("/");
  });
});

describe("sessions under a surface and the other sessions", () => {
  const many = [
    session({ pid: 1, state: "ended" }),
    session({ pid: 2, state: "idle" }),
    session({ pid: 3, state: "working" }),
    session({ pid: 4, state: "waiting" }),
    session({ pid: 5, state: "idle" }),
    session({ pid: 6, surface: "otto-desktop", state: "working" }),
    session({ pid: 7, surface: null, state: "idle" }),
    session({ pid: 8, surface: null, state: "ended" }),
  ];
  const snapshot = snapshotWith([surface()], { sessions: many });

  it("list three of a surface's sessions, the most urgent first and ended ones last, and count the rest", () => {
    const group = surfaceSessions("otto-cli", snapshot, NOW);
    expect(group.lines.map((l) => l.pid)).toEqual([4, 3, 2]);
    expect(group).toMatchObject({ more: 2, total: 5 });
    expect(surfaceSessions("otto-desktop", snapshot, NOW)).toMatchObject({ more: 0, total: 1 });
    expect(surfaceSessions("otto-launchd", snapshot, NOW)).toEqual({ lines: [], more: 0, total: 0 });
    expect(surfaceRow(surface(), snapshot, NOW).sessions.lines.map((l) => l.pid)).toEqual([4, 3, 2]);
  });

  it("put the sessions no rule claims in one list of their own, all of them", () => {
    const group = otherSessions(snapshot, NOW);
    expect(group.lines.map((l) => [l.pid, l.word])).toEqual([
      [7, "Idle 1m 00s"],
      [8, "Ended"],
    ]);
    expect(group.total).toBe(2);
    expect(otherSessions(snapshotWith([surface()]), NOW).total).toBe(0);
  });
});
