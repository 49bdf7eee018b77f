// Brief-ack streaks and idle runs from heartbeat histories (fixed clocks, table-driven).
import { describe, expect, it } from "vitest";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import { briefAckStreak, idleSince, rememberStreak } from "./streak";

let n = 0;
const hb = (fields: Partial<HeartbeatRecord>): HeartbeatRecord => {
  n++;
  return { id: `id-${n}`, surface: "otto-cli", at: n * 60_000, status: "idle", ...fields };
};
const ack = () => hb({ status: "idle", briefAck: true, event: "Stop" });

describe("briefAckStreak", () => {
  const cases: [string, () => HeartbeatRecord[], number][] = [
    ["no history", () => [], 0],
    ["three acks", () => [ack(), ack(), ack()], 3],
    ["user speaks resets", () => [ack(), ack(), hb({ status: "working", event: "UserPromptSubmit" }), ack()], 1],
    ["a tool use resets", () => [ack(), ack(), hb({ status: "working", event: "PostToolUse" })], 0],
    ["a non-brief turn resets", () => [ack(), hb({ status: "idle", event: "Stop", briefAck: false }), ack(), ack()], 2],
    ["a working beat resets", () => [ack(), hb({ status: "working" }), ack()], 1],
    ["notifications and plain idle beats are neutral", () => [ack(), hb({ event: "Notification" }), hb({ status: "idle" }), ack()], 2],
    ["a new session resets", () => [ack(), ack(), hb({ status: "alive", event: "SessionStart" }), ack()], 1],
    ["Gemini's turns a hook made it go on with never reset it; its person's BeforeAgent does", () => [hb({ status: "working", event: "BeforeAgent" }), ack(), hb({ status: "working", event: "HookContinuation" }), ack(), hb({ status: "working", event: "HookContinuation" }), ack()], 3],
    ["a hosted session's screen beats never reset it (the hooks own the streak)", () => [ack(), hb({ status: "working", event: "PtyScreen" }), hb({ status: "idle", event: "PtyScreen" }), ack()], 2],
  ];
  it.each(cases)("%s", (_name, make, expected) => {
    expect(briefAckStreak(make()).count).toBe(expected);
  });

  it("names the streak by the heartbeat that started it", () => {
    const first = ack();
    const streak = briefAckStreak([hb({ status: "working" }), first, ack(), ack()]);
    expect(streak).toMatchObject({ count: 3, startId: first.id, startAt: first.at });
  });
});

describe("briefAckStreak with a remembered streak (its first beats trimmed or cleaned away)", () => {
  const memory = (lastAt: number) => ({ startId: "first-beat", startAt: 0, count: 600, lastAt });

  it("continues the remembered streak when it reaches into the kept history", () => {
    const kept = [ack(), ack(), ack()];
    const streak = briefAckStreak(kept, memory((kept[1] as HeartbeatRecord).at));
    expect(streak).toEqual({ count: 601, startId: "first-beat", startAt: 0 });
    const newest = kept[2] as HeartbeatRecord;
    expect(rememberStreak(streak, kept)).toEqual({ startId: "first-beat", startAt: 0, count: 601, lastAt: newest.at, lastId: newest.id });
  });

  it("counts beats written in the same millisecond as the last one remembered", () => {
    const first = ack();
    const sameMs = [first, ...[1, 2, 3, 4, 5].map(() => ({ ...ack(), at: first.at }))];
    const seenThen = briefAckStreak(sameMs.slice(0, 2));
    const remembered = rememberStreak(seenThen, sameMs.slice(0, 2));
    expect(briefAckStreak(sameMs, remembered)).toMatchObject({ count: 6, startId: first.id });
  });

  it("starts a new streak after a reset newer than the remembered beats", () => {
    const kept = [ack(), hb({ status: "working", event: "UserPromptSubmit" }), ack()];
    expect(briefAckStreak(kept, memory((kept[0] as HeartbeatRecord).at))).toMatchObject({ count: 1, startId: (kept[2] as HeartbeatRecord).id });
  });

  it("continues the remembered streak when the reset before it is kept but its first beats are gone", () => {
    const reset = hb({ status: "working", event: "UserPromptSubmit" });
    const acks = [ack(), ack(), ack(), ack()];
    const remembered = rememberStreak(briefAckStreak([reset, ...acks]), [reset, ...acks]);
    const later = ack();
    const streak = briefAckStreak([reset, ...acks.slice(2), later], remembered);
    expect(streak).toEqual({ count: 5, startId: (acks[0] as HeartbeatRecord).id, startAt: (acks[0] as HeartbeatRecord).at });
  });

  it("does not name an ended streak anew when the reset that ended it is gone", () => {
    const acks = [ack(), ack(), ack()];
    const reset = hb({ status: "working", event: "UserPromptSubmit" });
    const remembered = rememberStreak(briefAckStreak([...acks, reset]), [...acks, reset]);
    expect(remembered).toEqual({ count: 0, lastAt: reset.at, lastId: reset.id });
    expect(briefAckStreak(acks, remembered)).toEqual({ count: 0 });
    const next = ack();
    expect(briefAckStreak([...acks, next], remembered)).toEqual({ count: 1, startId: next.id, startAt: next.at });
  });

  it("does not continue a remembered streak that ended before the kept history begins (beats unseen in between)", () => {
    const remembered = memory(n * 60_000);
    const kept = [ack(), ack()];
    expect(briefAckStreak(kept, remembered)).toMatchObject({ count: 2, startId: (kept[0] as HeartbeatRecord).id });
  });
});

describe("idleSince", () => {
  it("is the start of the trailing run of idle beats", () => {
    const start = hb({ status: "idle" });
    expect(idleSince([hb({ status: "working" }), start, ack(), hb({ status: "idle" })])).toBe(start.at);
  });
  it("is undefined when the newest beat is not idle", () => {
    expect(idleSince([hb({ status: "idle" }), hb({ status: "working" })])).toBeUndefined();
  });
  it("does not count a waiting beat as idle", () => {
    expect(idleSince([hb({ status: "idle", waiting: "prompt" })])).toBeUndefined();
  });
});
