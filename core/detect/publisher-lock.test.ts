// The publisher lock and state file on a real bus directory: exclusion, hand-over, planted files, bad state.
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus } from "../../test-support/bus";
import { PUBLISHER_LOCK_FILE, PublisherLock } from "./publisher-lock";
import { EMPTY_PUBLISHER_STATE, PUBLISHER_STATE_FILE, PublisherStateFile } from "./publisher-state";

describe("PublisherLock", () => {
  it("lets one holder in at a time, names it, and lets the next in once it lets go", () => {
    const { bus } = makeBus();
    const first = new PublisherLock(bus);
    const second = new PublisherLock(bus);
    expect(first.tryAcquire()).toBe(true);
    expect(second.tryAcquire()).toBe(false);
    expect(second.failure).toBeUndefined();
    expect(second.holderPid()).toBe(process.pid);
    first.release();
    expect(second.tryAcquire()).toBe(true);
    second.release();
  });

  it("refuses a symlink planted under the lock's name, and says so", () => {
    const { bus, root } = makeBus();
    symlinkSync(join(root, "elsewhere"), join(bus, PUBLISHER_LOCK_FILE));
    const lock = new PublisherLock(bus);
    expect(lock.tryAcquire()).toBe(false);
    expect(lock.failure).toBe("it is a symlink");
  });

  it("is no longer valid once the bus directory was replaced", () => {
    const { bus, root } = makeBus();
    const lock = new PublisherLock(bus);
    expect(lock.tryAcquire()).toBe(true);
    expect(lock.stillValid()).toBe(true);
    renameSync(bus, join(root, "old-bus"));
    mkdirSync(bus, { mode: 0o700 });
    expect(lock.stillValid()).toBe(false);
    lock.release();
  });
});

describe("PublisherStateFile", () => {
  it("round-trips what was published, and reports an unreadable file instead of trusting it", () => {
    const { bus } = makeBus();
    const file = new PublisherStateFile(bus);
    expect(file.load()).toEqual({ ok: true, state: EMPTY_PUBLISHER_STATE });
    const state = {
      version: 1 as const,
      nudged: ["otto-cli:abc"],
      streaks: { "otto-cli": { startId: "abc", startAt: 1, count: 700, lastAt: 9 } },
      quorum: { episode: { id: "e1", since: 1, surfaces: ["a", "b"], published: true, lastSeenAt: 5 }, lastEndedAt: null },
    };
    file.save(state);
    expect(file.load()).toEqual({ ok: true, state });
    writeFileSync(join(bus, PUBLISHER_STATE_FILE), "{ half");
    const bad = file.load();
    expect(bad.ok).toBe(false);
    expect(bad).toMatchObject({ state: EMPTY_PUBLISHER_STATE, problem: expect.stringMatching(/not valid JSON; escalations already published may be repeated/) });
  });
});
