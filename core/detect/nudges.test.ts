// Standing-by nudges: exactly one per streak, at the threshold, remembered across restarts.
import { describe, expect, it } from "vitest";
import { NudgeTracker } from "./nudges";

const MIN = 60_000;
const candidate = (count: number, startId = "s1") => ({ id: "otto-cli", streak: { count, startId, startAt: 0 }, idleSince: 0 });

describe("NudgeTracker", () => {
  it("nudges at the threshold, to that surface, once per streak", () => {
    const t = new NudgeTracker(6);
    expect(t.update(5 * MIN, [candidate(5)])).toEqual([]);
    const [nudge, ...rest] = t.update(6 * MIN, [candidate(6)]);
    expect(rest).toEqual([]);
    expect(nudge?.to).toBe("otto-cli");
    expect(nudge?.payload).toMatchObject({ surface: "otto-cli", streak: 6, streakId: "otto-cli:s1", idleMinutes: 6 });
    t.remember("otto-cli:s1");
    expect(t.update(7 * MIN, [candidate(7)])).toEqual([]);
  });

  it("nudges again for a new streak", () => {
    const t = new NudgeTracker(2);
    expect(t.update(0, [candidate(2, "s1")])).toHaveLength(1);
    t.remember("otto-cli:s1");
    expect(t.update(0, [candidate(2, "s2")])).toHaveLength(1);
  });

  it("offers a nudge again until it is remembered as written (a failed write is retried)", () => {
    const t = new NudgeTracker(2);
    expect(t.update(0, [candidate(2)])).toHaveLength(1);
    expect(t.update(MIN, [candidate(3)])).toHaveLength(1);
    t.remember("otto-cli:s1");
    expect(t.update(2 * MIN, [candidate(4)])).toEqual([]);
  });

  it("does not repeat a streak remembered from the bus", () => {
    const t = new NudgeTracker(2);
    t.remember("otto-cli:s1");
    expect(t.update(0, [candidate(3, "s1")])).toEqual([]);
  });
});
