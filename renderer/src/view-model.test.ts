// The popover's rows and badges as pure functions of the snapshot.
import { describe, expect, it } from "vitest";
import { snapshotWith, surface } from "./test-fixtures";
import { badgeFor, busBanner, busNotice, formatAge, overallTone, surfaceRow } from "./view-model";

const NOW = Date.parse("2026-05-16T10:00:00Z");

describe("badges", () => {
  it("give every state a word as well as a tone, so colour is never the only signal", () => {
    for (const state of ["working", "idle", "waiting", "standing-by", "hung", "stale", "offline", "unknown"] as const) {
      expect(badgeFor(state).word.length).toBeGreaterThan(2);
    }
    expect(badgeFor("hung")).toEqual({ word: "Hung", tone: "alarm" });
    expect(badgeFor("waiting").tone).toBe("attention");
  });
});

describe("surface rows", () => {
  it("show the heartbeat age at the given time, the note and the streak", () => {
    const row = surfaceRow(surface({ note: "running tests", briefAckStreak: 3 }), snapshotWith([]), NOW);
    expect(row).toMatchObject({ id: "otto-cli", word: "Working", tone: "ok", age: "12s ago", note: "running tests", streak: 3 });
    expect(surfaceRow(surface(), snapshotWith([]), NOW + 65_000).age).toBe("1m 17s ago");
    expect(surfaceRow(surface({ lastHeartbeatAt: null }), snapshotWith([]), NOW).age).toBe("no heartbeat yet");
  });

  it("prefer what a waiting surface waits for over its note", () => {
    expect(surfaceRow(surface({ state: "waiting", waiting: "Bash: npm test", note: "old" }), snapshotWith([]), NOW).note).toBe("Bash: npm test");
  });

  it("offer Unstick only on stuck surfaces, disabled with the reason while the switch is off or the bus untrusted", () => {
    expect(surfaceRow(surface(), snapshotWith([], { on: true }), NOW).unstick.shown).toBe(false);
    const off = surfaceRow(surface({ state: "waiting" }), snapshotWith([], { on: false }), NOW);
    expect(off.unstick).toEqual({ shown: true, disabledReason: "Safety switch is off" });
    expect(surfaceRow(surface({ state: "hung" }), snapshotWith([], { on: true }), NOW).unstick).toEqual({ shown: true, disabledReason: null });
    expect(surfaceRow(surface({ state: "hung" }), snapshotWith([], { on: true, trusted: false }), NOW).unstick.disabledReason).toMatch(/not trusted/);
  });
});

describe("the popover's headline and banners", () => {
  it("rank alarm over attention over calm, and an untrusted bus as alarm with an honest banner", () => {
    expect(overallTone(snapshotWith([surface(), surface({ id: "b", state: "idle" })]))).toBe("ok");
    expect(overallTone(snapshotWith([surface(), surface({ id: "b", state: "waiting" })]))).toBe("attention");
    expect(overallTone(snapshotWith([surface({ state: "hung" }), surface({ id: "b", state: "waiting" })]))).toBe("alarm");
    expect(overallTone(snapshotWith([surface(), surface({ id: "b", state: "idle" })], { quorum: ["otto-cli", "b"] }))).toBe("attention");
    const untrusted = snapshotWith([surface()], { trusted: false });
    expect(overallTone(untrusted)).toBe("alarm");
    expect(busBanner(untrusted)).toMatch(/not trusted.*writable by others/);
    expect(busBanner(snapshotWith([surface()]))).toBeNull();
  });

  it("say a bus that does not exist yet has no heartbeats yet, not that it is untrusted", () => {
    const missing = snapshotWith([surface({ state: "unknown", lastHeartbeatAt: null })], { missing: true });
    expect(busBanner(missing)).toBeNull();
    expect(busNotice(missing)).toMatch(/^No heartbeats yet/);
    expect(overallTone(missing)).not.toBe("alarm");
    expect(surfaceRow(surface({ state: "hung" }), missing, NOW).unstick.disabledReason).toMatch(/no heartbeats yet/i);
    // Owned by someone else or writable by others is still a trust problem.
    expect(busBanner(snapshotWith([surface()], { trusted: false }))).toMatch(/not trusted/);
    expect(busNotice(snapshotWith([surface()], { trusted: false }))).toBeNull();
  });

  it("never say every surface is silent while a surface's process is known alive (the row would contradict it)", () => {
    const silent = [surface({ state: "stale" }), surface({ id: "b", state: "offline" })];
    expect(busBanner(snapshotWith(silent, { allSilent: true }))).toMatch(/silent at once/);
    const hungAlive = [surface({ state: "hung", pid: 4242, alive: true }), surface({ id: "b", state: "stale" })];
    expect(busBanner(snapshotWith(hungAlive, { allSilent: true }))).toBeNull();
  });

  it("format ages compactly", () => {
    expect(formatAge(4_200)).toBe("4s");
    expect(formatAge(7_500_000)).toBe("2h 05m");
    expect(formatAge(null)).toBe("never");
  });
});
