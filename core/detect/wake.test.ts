// Sleep/wake detection from the two clocks.
import { describe, expect, it } from "vitest";
import { WakeDetector } from "./wake";

describe("WakeDetector", () => {
  it("sees no jump when both clocks advance together", () => {
    const w = new WakeDetector(120_000);
    w.observe(1_000_000, 0);
    expect(w.observe(1_005_000, 5_000)).toBe(false);
    expect(w.inGrace(1_005_000)).toBe(false);
  });

  it("starts a grace period when the wall clock jumps past the monotonic clock (the machine slept)", () => {
    const w = new WakeDetector(120_000);
    w.observe(1_000_000, 0);
    expect(w.observe(1_000_000 + 3_600_000, 1_000)).toBe(true);
    expect(w.inGrace(1_000_000 + 3_600_000 + 119_000)).toBe(true);
    expect(w.inGrace(1_000_000 + 3_600_000 + 121_000)).toBe(false);
  });

  it("treats a backwards wall-clock step as a jump too", () => {
    const w = new WakeDetector(60_000);
    w.observe(10_000_000, 0);
    expect(w.observe(9_000_000, 1_000)).toBe(true);
  });

  it("takes a wake reported by the platform", () => {
    const w = new WakeDetector(60_000);
    w.noteWake(5_000);
    expect(w.graceEndsAt(6_000)).toBe(65_000);
  });
});
