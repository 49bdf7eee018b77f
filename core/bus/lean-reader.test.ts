// A lean reader (the long-running detector's) keeps only what the detectors read, and counts exactly what a full one does.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat, writeRaw } from "../../test-support/bus";
import { BusReader } from "./reader";
import { buildEnvelope, writeEnvelope } from "./writer";

function busWithMixedSenders() {
  const { bus } = makeBus("otto-lean-");
  const watched = writeHeartbeat(bus, "otto-cli", { status: "working", pid: 4242 });
  for (let i = 0; i < 20; i++) writeHeartbeat(bus, `other-agent-${i}`, { status: "idle" });
  writeEnvelope(bus, buildEnvelope({ topic: "claim", payload: {}, from: "some-bot" }));
  writeRaw(bus, "not-an-envelope.json", "{ garbage");
  return { bus, watched };
}

describe("BusReader lean", () => {
  it("indexes only the watched surfaces' heartbeats and counts every file like a full reader", () => {
    const { bus, watched } = busWithMixedSenders();
    const full = new BusReader(bus, { watchedSurfaces: ["otto-cli"] });
    const lean = new BusReader(bus, { watchedSurfaces: ["otto-cli"], lean: true });
    full.scan();
    lean.scan();
    expect(lean.counts()).toEqual(full.counts());
    expect(lean.rejected()).toEqual(full.rejected());
    expect(lean.heartbeats.surfaces()).toEqual(["otto-cli"]);
    expect(lean.heartbeats.latest("otto-cli")).toEqual(full.heartbeats.latest("otto-cli"));
    expect(lean.heartbeats.latest("otto-cli")?.id).toBe(watched.id);
    expect(full.heartbeats.surfaces()).toHaveLength(21);
  });

  it("refuses to list envelopes it does not keep (an empty list would look like an empty bus)", () => {
    const { bus } = busWithMixedSenders();
    const lean = new BusReader(bus, { lean: true });
    lean.scan();
    expect(() => lean.envelopes()).toThrow(/lean/);
    expect(() => lean.envelopeFiles()).toThrow(/lean/);
  });

  it("still drops a heartbeat from the index when its file is rewritten as another envelope", () => {
    const { bus } = makeBus("otto-lean-rewrite-");
    const reader = new BusReader(bus, { lean: true, watchedSurfaces: ["worker"] });
    const beat = writeHeartbeat(bus, "worker", { status: "working" });
    reader.scan();
    expect(reader.heartbeats.size().present).toBe(1);
    rmSync(join(bus, `${beat.id}.json`));
    writeEnvelope(bus, { ...buildEnvelope({ topic: "claim", payload: {}, from: "worker" }), id: beat.id });
    reader.scan();
    expect(reader.heartbeats.size().present).toBe(0);
    expect(reader.counts().envelopes).toBe(1);
  });
});
