// The per-surface heartbeat history: time order whatever the read order, replacement by id, a bounded size.
import { describe, expect, it } from "vitest";
import { HeartbeatIndex, type HeartbeatRecord, MAX_HISTORY_PER_SURFACE } from "./heartbeat-index";

const rec = (id: string, at: number, surface = "otto-cli"): HeartbeatRecord => ({ id, surface, at, status: "working" });

describe("HeartbeatIndex", () => {
  it("keeps each surface's beats in time order whatever order they are read in", () => {
    const index = new HeartbeatIndex();
    for (const at of [5, 1, 9, 3, 7]) index.add(rec(`b${at}`, at));
    index.add(rec("other", 4, "otto-desktop"));
    expect(index.history("otto-cli").map((r) => r.at)).toEqual([1, 3, 5, 7, 9]);
    expect(index.latest("otto-cli")?.id).toBe("b9");
    expect(index.surfaces().sort()).toEqual(["otto-cli", "otto-desktop"]);
  });

  it("keeps read order for beats in the same millisecond", () => {
    const index = new HeartbeatIndex();
    index.add(rec("first", 10));
    index.add(rec("second", 10));
    expect(index.history("otto-cli").map((r) => r.id)).toEqual(["first", "second"]);
  });

  it("replaces a record re-read under the same id", () => {
    const index = new HeartbeatIndex();
    index.add(rec("a", 1));
    index.add({ ...rec("a", 2), status: "idle" });
    expect(index.history("otto-cli")).toEqual([{ ...rec("a", 2), status: "idle" }]);
  });

  it("keeps only the newest beats, read in any order", () => {
    const index = new HeartbeatIndex();
    const total = MAX_HISTORY_PER_SURFACE * 3;
    const order = Array.from({ length: total }, (_, i) => (i * 7919) % total); // a permutation
    for (const at of order) index.add(rec(`b${at}`, at));
    const kept = index.history("otto-cli").map((r) => r.at);
    expect(kept).toHaveLength(MAX_HISTORY_PER_SURFACE);
    expect(kept[0]).toBe(total - MAX_HISTORY_PER_SURFACE);
    expect(kept[kept.length - 1]).toBe(total - 1);
    // An evicted id can come back as new.
    index.add(rec("b0", total + 1));
    expect(index.latest("otto-cli")?.id).toBe("b0");
  });
});
