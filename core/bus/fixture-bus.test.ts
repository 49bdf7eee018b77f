// The shared fixture bus read at a fixed time, through the built CLI (`status`) and the reader in-process.
import { beforeAll, describe, expect, it } from "vitest";
import { copyFixtureBus } from "../../test-support/bus";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import type { Snapshot } from "../snapshot";
import { BusReader } from "./reader";

const NOW = "2026-05-16T07:13:00Z";

describe("fixture bus (test-support/fixtures/bus) at 2026-05-16T07:13Z", () => {
  let bus: string;
  let home: string;
  beforeAll(() => {
    bus = copyFixtureBus();
    home = makeTempDir("otto-home-");
  });

  it("status --json: otto-cli waiting, otto-desktop idle with a streak of 1, otto-launchd working", () => {
    const result = runCli(["status", "--json", "--now", NOW, "--bus-dir", bus, "--home", home]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.busTrusted).toBe(true);
    expect(snapshot.busDir).toBe(bus);
    expect(snapshot.generatedAt).toBe("2026-05-16T07:13:00.000Z");
    const byId = Object.fromEntries(snapshot.surfaces.map((s) => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual(["otto-cli", "otto-desktop", "otto-launchd"]);

    expect(byId["otto-cli"]).toMatchObject({
      state: "waiting",
      waiting: "permission_prompt: Claude needs your permission to use Bash",
      lastHeartbeatAt: "2026-05-16T07:12:05.000Z",
    });
    expect(byId["otto-desktop"]).toMatchObject({ state: "idle", briefAckStreak: 1, lastHeartbeatAt: "2026-05-16T07:12:40.000Z" });
    expect(byId["otto-launchd"]).toMatchObject({ state: "working", lastStatus: "alive", note: "tick 0711Z" });

    // Not a quorum: only one surface is idle.
    expect(snapshot.quorum.active).toBe(false);
    // 6 heartbeats that parse + the claim + the nudge from `otto` = 7 valid envelopes (none foreign).
    expect(snapshot.bus.envelopes).toBe(7);
    expect(snapshot.bus.foreign).toBe(0);
    expect(snapshot.bus.rejected).toBeGreaterThanOrEqual(3);
    // Exactly the four broken files: truncated, a path in `from`, a bad timestamp with a string payload, name ≠ id.
    expect(snapshot.bus.rejected).toBe(4);
    expect(snapshot.bus.pending).toBe(0);
  });

  it("the reader rejects exactly the four broken files and skips seen-*.json and *.lock quietly", () => {
    const reader = new BusReader(bus, { now: () => Date.parse(NOW) });
    reader.scan();
    const rejected = reader.rejected().map((r) => r.file).sort();
    expect(rejected).toEqual([
      "11111111-2222-4333-8444-555555555555.json", // truncated
      "22222222-3333-4444-8555-666666666666.json", // from: ../../etc/passwd
      "33333333-4444-4555-8666-777777777777.json", // bad timestamp, string payload
      "not-the-same-id.json", // name does not match the id
    ]);
    const known = reader.envelopeFiles().map((e) => e.file);
    for (const skipped of ["seen-otto-desktop.json", "acquire-B-0558.lock", "README.md"]) {
      expect(known).not.toContain(skipped);
      expect(rejected).not.toContain(skipped);
    }
    // The hostile `from` never became a surface.
    expect(reader.heartbeats.surfaces().sort()).toEqual(["otto-cli", "otto-desktop", "otto-launchd"]);
  });

  it("status (table) names each surface with its state and the bus counts", () => {
    const result = runCli(["status", "--now", NOW, "--bus-dir", bus, "--home", home]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const rowOf = (id: string) => lines.find((l) => l.startsWith(`${id} `)) ?? "";
    expect(rowOf("otto-cli")).toMatch(/^otto-cli\s+waiting\s/);
    expect(rowOf("otto-cli")).toContain("permission_prompt");
    expect(rowOf("otto-desktop")).toMatch(/^otto-desktop\s+idle\s+\S+ ago\s+1\s/);
    expect(rowOf("otto-launchd")).toMatch(/^otto-launchd\s+working\s/);
    expect(result.stdout).toContain("7 envelopes");
    expect(result.stdout).toContain("4 rejected");
    expect(result.stdout).not.toContain("NOT trusted");
  });
});
