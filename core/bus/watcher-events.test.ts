// The watcher itself reports every file written to a big bus directory (without the periodic rescan safety net).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { BusReader } from "./reader";
import { BusWatcher } from "./watcher";
import { buildEnvelope } from "./writer";

const FILES = 20_000;
const WRITES = 30;

describe("BusWatcher on a directory of 20,000 envelopes", () => {
  let watcher: BusWatcher | undefined;
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
  });

  it("reports each of 30 heartbeats written one after another, with the rescan safety net off", async () => {
    const { bus } = makeBus("otto-watch-big-");
    const old = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < FILES; i++) {
      const e = buildEnvelope({ topic: i % 3 === 0 ? "claim" : "heartbeat", payload: { status: "idle" }, from: "some-bot" }, old);
      writeFileSync(join(bus, `${e.id}.json`), JSON.stringify(e));
    }
    const reader = new BusReader(bus);
    let changes = 0;
    watcher = new BusWatcher({ reader, onChange: () => changes++, rescanIntervalMs: 3_600_000, checkIntervalMs: 3_600_000 });
    await watcher.start();
    expect(reader.counts().envelopes).toBe(FILES);

    // Each heartbeat alone, waiting for it before the next one: a lost event is not rescued by a later one.
    const missed: string[] = [];
    for (let i = 0; i < WRITES; i++) {
      const id = writeHeartbeat(bus, "otto-cli", { status: i % 2 === 0 ? "working" : "idle", note: String(i) }).id;
      const deadline = Date.now() + 8_000; // generous: the point is that no event is lost, not how fast it arrives
      while (reader.heartbeats.latest("otto-cli")?.id !== id && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (reader.heartbeats.latest("otto-cli")?.id !== id) missed.push(`#${i}`);
    }
    expect(missed).toEqual([]);
    expect(reader.counts().envelopes).toBe(FILES + WRITES);
    expect(changes).toBeGreaterThan(0);
  }, 90_000);

  it("reports a heartbeat written while it is starting (after its first scan, before the directory watch starts)", async () => {
    const { bus } = makeBus("otto-watch-start-");
    for (let i = 0; i < 2000; i++) writeHeartbeat(bus, "some-bot", { status: "idle" }, new Date(Date.now() - 3_600_000));
    const reader = new BusReader(bus);
    watcher = new BusWatcher({ reader, onChange: () => undefined, rescanIntervalMs: 3_600_000, checkIntervalMs: 3_600_000 });
    const started = watcher.start(); // its first scan runs before start() returns
    const id = writeHeartbeat(bus, "otto-cli", { status: "working" }).id;
    await started;
    const deadline = Date.now() + 8_000; // generous: the point is that it is reported at all
    while (reader.heartbeats.latest("otto-cli")?.id !== id && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(reader.heartbeats.latest("otto-cli")?.id).toBe(id);
  }, 60_000);

  it("follows a bus directory removed and created again before its next check (the inode number comes back)", async () => {
    const { bus } = makeBus("otto-watch-recreate-");
    writeHeartbeat(bus, "otto-cli", { status: "working" });
    const reader = new BusReader(bus);
    watcher = new BusWatcher({ reader, onChange: () => undefined, rescanIntervalMs: 3_600_000, checkIntervalMs: 1000 });
    await watcher.start();
    rmSync(bus, { recursive: true });
    // Long enough for the old watch to be released (so the inode number is free again), shorter than the check interval.
    await new Promise((r) => setTimeout(r, 300));
    mkdirSync(bus, { mode: 0o700 });
    const id = writeHeartbeat(bus, "otto-cli", { status: "idle" }).id;
    const deadline = Date.now() + 8_000; // generous: the point is that it is reported at all
    while (reader.heartbeats.latest("otto-cli")?.id !== id && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(reader.heartbeats.latest("otto-cli")?.id).toBe(id);
    // And events flow from the new directory.
    const next = writeHeartbeat(bus, "otto-cli", { status: "working" }).id;
    const deadline2 = Date.now() + 8_000;
    while (reader.heartbeats.latest("otto-cli")?.id !== next && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
    expect(reader.heartbeats.latest("otto-cli")?.id).toBe(next);
  }, 30_000);
});
