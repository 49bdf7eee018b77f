// The soak of issue 15: `serve` under load with clients that never read keeps every bound it promises and gives its files back.
import { afterAll, describe, expect, it } from "vitest";
import { stopAllServes } from "../../test-support/serve";
import { runSoak } from "../../test-support/soak";

afterAll(() => stopAllServes());

describe("serve under a soak (20,000 envelopes, 10 heartbeats/s, 30 streams of which 10 never read, the switch flipped every second)", () => {
  it("holds every queue and read to its bound, and returns to its starting open files", { timeout: 170_000 }, async () => {
    const result = await runSoak({ envelopes: 20_000, seconds: 60, heartbeatsPerSecond: 10, readingClients: 20, stalledClients: 10 });
    expect(result.switchFailures).toEqual([]);
    expect(result.switches).toBeGreaterThanOrEqual(30);
    expect(result.streamsAtPeak).toBe(30);
    expect(result.snapshotsRead).toBeGreaterThan(0);
    // The bounds themselves: every bounded place recorded what it held or read, and none passed its bound.
    for (const [name, reading] of Object.entries(result.bounds)) expect({ name, over: reading.highWater > reading.bound }).toEqual({ name, over: false });
    // The clients that never read did push against the stream bound: snapshots were coalesced for them, not queued.
    expect(result.bounds["serve.stream.queuedBytes"]?.limited).toBeGreaterThan(0);
    expect(result.bounds["audit.readBytes"]).toBeDefined();
    expect(result.openFilesAtStart).not.toBeNull();
    expect(result.openFilesAfter).toBeLessThanOrEqual(result.openFilesAtStart ?? 0);
  });
});
