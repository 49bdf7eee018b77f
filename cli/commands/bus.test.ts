// `otto-tray bus clean --expired` as a real process: expired envelopes go, each sender's latest heartbeat stays.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { runCli } from "../../test-support/cli";
import { buildEnvelope, writeEnvelope } from "../../core/bus/writer";
import type { Snapshot } from "../../core/snapshot";

const MIN = 60_000;

describe("bus clean --expired", () => {
  it("keeps each surface's latest heartbeat, so a hung surface stays hung", () => {
    const { bus, home } = makeBus();
    const now = Date.now();
    // A turn that stopped beating 11 minutes ago while its process (this test) lives: hung.
    const older = [20, 15].map((ago) => writeHeartbeat(bus, "otto-cli", { status: "working", event: "PreToolUse", pid: process.pid }, new Date(now - ago * MIN)));
    const latest = writeHeartbeat(bus, "otto-cli", { status: "working", event: "PostToolUse", pid: process.pid }, new Date(now - 11 * MIN));
    const claim = buildEnvelope({ topic: "claim", payload: {}, from: "worker-a", ttlMs: MIN }, new Date(now - 2 * MIN));
    writeEnvelope(bus, claim);
    const status = () => JSON.parse(runCli(["status", "--json", "--bus-dir", bus, "--home", home]).stdout) as Snapshot;
    expect(status().surfaces.find((s) => s.id === "otto-cli")?.state).toBe("hung");

    const clean = runCli(["bus", "clean", "--expired", "--json", "--bus-dir", bus, "--home", home]);
    expect(clean.code).toBe(0);
    const report = JSON.parse(clean.stdout) as { removed: number; expired: string[]; keptLatestHeartbeats: string[] };
    expect(report.removed).toBe(3);
    expect(report.expired.sort()).toEqual([...older, claim].map((e) => `${e.id}.json`).sort());
    expect(report.keptLatestHeartbeats).toEqual([`${latest.id}.json`]);
    expect(existsSync(join(bus, `${latest.id}.json`))).toBe(true);
    expect(existsSync(join(bus, `${claim.id}.json`))).toBe(false);

    expect(status().surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ state: "hung", lastHeartbeatAt: latest.timestamp });
    const text = runCli(["bus", "clean", "--expired", "--bus-dir", bus, "--home", home]);
    expect(text.stdout).toMatch(/removed 0 expired envelope\(s\) from .*; kept 1 expired latest heartbeat\(s\), one per sender/);
  });
});
