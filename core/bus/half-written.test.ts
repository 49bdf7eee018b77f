// The retry rule: a file written in place is "pending" while unparseable, parsed when complete, rejected only after the retry window.
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeBus } from "../../test-support/bus";
import { parsePrefs } from "../prefs/load";
import { DetectorService } from "../service";
import type { StateChange } from "../detect/engine";
import { buildEnvelope } from "./writer";

/** Long enough that "still pending right after the first half" never depends on the machine's speed. */
const LONG_RETRY_MS = 3000;
const SHORT_RETRY_MS = 300;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("DetectorService and files written in place", () => {
  let service: DetectorService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  async function startService(bus: string, retryMalformedMs: number): Promise<{ service: DetectorService; changes: StateChange[]; problems: string[] }> {
    const s = new DetectorService({ busDir: bus, prefs: parsePrefs({}), retryMalformedMs, tickMs: 50, publishEscalations: false });
    const changes: StateChange[] = [];
    const problems: string[] = [];
    s.on("change", (c) => changes.push(c));
    s.on("problem", (m) => problems.push(m));
    await s.start();
    service = s;
    return { service: s, changes, problems };
  }

  it("a heartbeat written in two steps ends up a valid envelope, never rejected", { timeout: 30_000 }, async () => {
    const { bus } = makeBus("otto-half-");
    const { service: s, changes, problems } = await startService(bus, LONG_RETRY_MS);
    await until(() => changes.some((c) => c.surface === "otto-cli" && c.to === "unknown"), "the first evaluation");

    const envelope = buildEnvelope({ topic: "heartbeat", payload: { status: "alive", waiting: "permission prompt" }, from: "otto-cli" });
    const text = `${JSON.stringify(envelope, null, 2)}\n`;
    const path = join(bus, `${envelope.id}.json`);
    const half = Math.floor(text.length / 2);

    // Step 1: created and half written, in place (no temporary name).
    writeFileSync(path, text.slice(0, half));
    await until(() => s.reader.counts().pending === 1, "the half-written file to be pending");
    expect(s.reader.counts()).toEqual({ envelopes: 0, foreign: 0, rejected: 0, pending: 1 });
    expect(s.reader.heartbeats.latest("otto-cli")).toBeUndefined();

    // Step 2: the rest, appended to the same file.
    appendFileSync(path, text.slice(half));
    await until(() => s.reader.counts().envelopes === 1, "the completed file to be parsed");
    expect(s.reader.counts()).toEqual({ envelopes: 1, foreign: 0, rejected: 0, pending: 0 });
    await until(() => changes.some((c) => c.surface === "otto-cli" && c.to === "waiting"), "otto-cli → waiting");

    // Long after the retry window it is still an envelope (the settled state does not decay).
    await new Promise((r) => setTimeout(r, LONG_RETRY_MS + 300));
    expect(s.reader.counts()).toEqual({ envelopes: 1, foreign: 0, rejected: 0, pending: 0 });
    expect(s.snapshot().surfaces.find((x) => x.id === "otto-cli")?.state).toBe("waiting");
    expect(problems).toEqual([]);
  });

  it("a file that stays garbage becomes rejected after the retry window, and a later rewrite is parsed again", async () => {
    const { bus } = makeBus("otto-half-");
    const { service: s, changes } = await startService(bus, SHORT_RETRY_MS);
    const envelope = buildEnvelope({ topic: "heartbeat", payload: { status: "working" }, from: "otto-desktop" });
    const path = join(bus, `${envelope.id}.json`);

    writeFileSync(path, '{"id": "not finished');
    await until(() => s.reader.counts().pending === 1 || s.reader.counts().rejected === 1, "the garbage to be seen");
    await until(() => s.reader.counts().rejected === 1, "the garbage to be rejected after the retry window");
    expect(s.reader.counts()).toEqual({ envelopes: 0, foreign: 0, rejected: 1, pending: 0 });
    expect(s.reader.rejected()[0]?.reason).toMatch(/JSON/);
    expect(s.snapshot().bus.rejected).toBe(1);

    // A writer that finally finishes the file: a change means parse again, rejected or not.
    writeFileSync(path, JSON.stringify(envelope));
    await until(() => s.reader.counts().envelopes === 1, "the rewritten file to be parsed");
    expect(s.reader.counts()).toEqual({ envelopes: 1, foreign: 0, rejected: 0, pending: 0 });
    await until(() => changes.some((c) => c.surface === "otto-desktop" && c.to === "working"), "otto-desktop → working");
  });

  it("an empty file (created, nothing written yet) is pending too, then parsed when written", async () => {
    const { bus } = makeBus("otto-half-");
    const { service: s } = await startService(bus, LONG_RETRY_MS);
    const envelope = buildEnvelope({ topic: "claim", payload: { itemId: "B-1" }, from: "otto-cli" });
    const path = join(bus, `${envelope.id}.json`);
    writeFileSync(path, "");
    await until(() => s.reader.counts().pending === 1, "the empty file to be pending");
    appendFileSync(path, JSON.stringify(envelope));
    await until(() => s.reader.counts().envelopes === 1, "the written file to be parsed");
    expect(s.reader.counts().rejected).toBe(0);
  });
});
