// The watcher's safety net on real files, without the watcher: names compared, known files verified in turn.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { QUIET_MARGIN_MS, sameNames, stampDir } from "./dir-stamp";
import { BusReader } from "./reader";
import { rescanNames, RoundRobinVerifier } from "./safety-net";
import { buildEnvelope } from "./writer";

/** A clock this far ahead makes every file on disk look long still (no waiting in tests). */
const LATER = () => Date.now() + 10 * QUIET_MARGIN_MS;

describe("rescanNames (what fs.watch missed: files added, removed, renamed)", () => {
  it("reads a file no event reported, forgets one deleted, and follows a rename", () => {
    const { bus } = makeBus("otto-safety-names-");
    const kept = writeHeartbeat(bus, "otto-cli", { status: "idle" });
    const gone = writeHeartbeat(bus, "otto-desktop", { status: "working" });
    const reader = new BusReader(bus);
    reader.scan();
    const added = writeHeartbeat(bus, "otto-launchd", { status: "working" });
    rmSync(join(bus, `${gone.id}.json`));
    renameSync(join(bus, `${kept.id}.json`), join(bus, "renamed.json"));
    expect(rescanNames(reader, LATER())).toBe(2); // the new file and the renamed one
    expect(reader.heartbeats.latest("otto-launchd")?.id).toBe(added.id);
    expect(reader.counts()).toMatchObject({ envelopes: 1, rejected: 1 }); // renamed.json no longer matches its id
    expect(reader.rejected().map((r) => r.file)).toEqual(["renamed.json"]);
  });

  it("lists nothing while the directory is unchanged, and lists again as soon as a name is added", () => {
    const { bus } = makeBus("otto-safety-stamp-");
    writeHeartbeat(bus, "otto-cli", { status: "idle" });
    const reader = new BusReader(bus);
    reader.scan();
    // A listing made long after the last change: the directory's stamp now proves its names.
    rescanNames(reader, LATER());
    expect(sameNames(reader.lastListing, stampDir(bus, LATER()))).toBe(true);
    const added = writeHeartbeat(bus, "otto-desktop", { status: "working" });
    expect(sameNames(reader.lastListing, stampDir(bus, LATER()))).toBe(false);
    expect(rescanNames(reader, LATER())).toBe(1);
    expect(reader.heartbeats.latest("otto-desktop")?.id).toBe(added.id);
  });

  it("does not trust a stamp taken while the directory had just changed (a same-tick change could hide)", () => {
    const { bus } = makeBus("otto-safety-racy-");
    writeHeartbeat(bus, "otto-cli", { status: "idle" });
    const now = stampDir(bus);
    expect(sameNames(now, stampDir(bus))).toBe(false);
    expect(sameNames(stampDir(bus, LATER()), stampDir(bus, LATER()))).toBe(true);
  });
});

describe("RoundRobinVerifier (what no event reported inside a known file)", () => {
  it("finds a file rewritten in place under its own name, which comparing names cannot", () => {
    const { bus } = makeBus("otto-safety-verify-");
    const first = writeHeartbeat(bus, "otto-cli", { status: "idle", note: "before" });
    for (let i = 0; i < 9; i++) writeHeartbeat(bus, "otto-desktop", { status: "working" });
    const reader = new BusReader(bus);
    reader.scan();
    rescanNames(reader, LATER());
    // Same name, same id, new content, written in place (no rename, so the directory does not change).
    writeFileSync(join(bus, `${first.id}.json`), JSON.stringify({ ...first, payload: { status: "working", note: "after" } }));
    expect(rescanNames(reader, LATER())).toBe(0);
    expect(reader.heartbeats.latest("otto-cli")?.note).toBe("before");
    const verifier = new RoundRobinVerifier(reader);
    let parsed = 0;
    for (let i = 0; i < 4; i++) parsed += verifier.next(3); // 10 files, 3 at a time: one full round
    expect(parsed).toBe(1);
    expect(reader.heartbeats.latest("otto-cli")?.note).toBe("after");
  });

  it("forgets a file deleted without an event, and goes round again after a full round", () => {
    const { bus } = makeBus("otto-safety-round-");
    const envelopes = Array.from({ length: 5 }, () => buildEnvelope({ topic: "claim", payload: {}, from: "some-bot" }));
    for (const e of envelopes) writeFileSync(join(bus, `${e.id}.json`), JSON.stringify(e));
    const reader = new BusReader(bus);
    reader.scan();
    const verifier = new RoundRobinVerifier(reader);
    expect(verifier.next(100)).toBe(0); // a round ends early: nothing changed
    rmSync(join(bus, `${envelopes[4]?.id}.json`));
    verifier.next(100);
    expect(reader.counts().envelopes).toBe(4);
  });
});
