// The per-surface heartbeat history: time order whatever the read order, replacement by id, a bounded size.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { HeartbeatIndex, type HeartbeatRecord, MAX_HISTORY_PER_SURFACE } from "./heartbeat-index";
import { BusReader } from "./reader";

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

  it("forgets a sender once none of its files is left, and keeps a sender's history while one is", () => {
    const index = new HeartbeatIndex();
    index.add(rec("a1", 1, "otto-cli"));
    index.add(rec("a2", 2, "otto-cli"));
    index.add(rec("x1", 1, "one-off"));
    index.fileGone("a1");
    expect(index.history("otto-cli").map((r) => r.id)).toEqual(["a1", "a2"]);
    index.fileGone("x1");
    expect(index.surfaces()).toEqual(["otto-cli"]);
    expect(index.size()).toEqual({ kept: 2, present: 1, surfaces: 1 });
  });

  it("keeps a watched surface's history when all its files are gone (its last beats are the evidence of its state)", () => {
    const index = new HeartbeatIndex(new Set(["otto-cli"]));
    index.add(rec("a1", 1, "otto-cli"));
    index.fileGone("a1");
    expect(index.latest("otto-cli")?.id).toBe("a1");
  });
});

describe("BusReader and deleted heartbeat files", () => {
  it("forgets thousands of one-off senders once their files are deleted", () => {
    const { bus } = makeBus();
    const reader = new BusReader(bus, { watchedSurfaces: ["otto-cli"] });
    const files: string[] = [];
    for (let i = 0; i < 2000; i++) files.push(`${writeHeartbeat(bus, `worker-${i}`, { status: "working" }).id}.json`);
    const kept = writeHeartbeat(bus, "otto-cli", { status: "idle" });
    reader.scan();
    expect(reader.heartbeats.size()).toEqual({ kept: 2001, present: 2001, surfaces: 2001 });
    for (const f of files) rmSync(join(bus, f));
    reader.scan();
    expect(reader.heartbeats.size()).toEqual({ kept: 1, present: 1, surfaces: 1 });
    expect(reader.heartbeats.surfaces()).toEqual(["otto-cli"]);
    expect(reader.heartbeats.latest("otto-cli")?.id).toBe(kept.id);
  });

  it("forgets a sender whose file is deleted while a watcher refreshes it by name", () => {
    const { bus } = makeBus();
    const reader = new BusReader(bus);
    const e = writeHeartbeat(bus, "worker-1", { status: "working" });
    reader.refresh(`${e.id}.json`);
    expect(reader.heartbeats.surfaces()).toEqual(["worker-1"]);
    rmSync(join(bus, `${e.id}.json`));
    reader.refresh(`${e.id}.json`);
    expect(reader.heartbeats.surfaces()).toEqual([]);
  });
});
