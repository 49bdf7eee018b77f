// `otto-tray detect` as real processes: one publisher per bus, each escalation once across runs, restarts and clean-ups.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DetectProcess, type DetectLine, makeBus, writeHeartbeat } from "../../test-support/bus";
import { runCli } from "../../test-support/cli";

const MIN = 60_000;

/** Envelopes on the bus with this topic (read from the files, whoever wrote them). */
function onBus(bus: string, topic: string): { id: string; payload: unknown }[] {
  return readdirSync(bus)
    .filter((n) => n.endsWith(".json"))
    .map((n) => JSON.parse(readFileSync(join(bus, n), "utf8")) as { id: string; topic: string; payload: unknown })
    .filter((e) => e.topic === topic);
}

/** `detect --once --json --now ISO`: its parsed lines. */
function detectOnce(bus: string, home: string, now: number): DetectLine[] {
  const r = runCli(["detect", "--once", "--json", "--bus-dir", bus, "--home", home, "--now", new Date(now).toISOString()]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as DetectLine);
}

const quorumsIn = (lines: DetectLine[]) => lines.filter((l) => l.type === "published" && l.envelope.topic === "standing-by-quorum");

describe("detect --once run again and again over one quorum episode", () => {
  /** Two sessions idle at their prompts since `start` (no more beats; their pid, this test's, lives). */
  function idleEpisode(start: number) {
    const { bus, home } = makeBus();
    for (const s of ["otto-desktop", "otto-launchd"]) writeHeartbeat(bus, s, { status: "idle", event: "Stop", pid: process.pid }, new Date(start));
    return { bus, home };
  }

  it("publishes the episode once over 90 minutes of runs five minutes apart", () => {
    const start = Date.now() - 3 * 60 * MIN;
    const { bus, home } = idleEpisode(start);
    let published = 0;
    for (let t = 0; t <= 90; t += 5) {
      const lines = detectOnce(bus, home, start + t * MIN);
      expect(lines[0]).toMatchObject({ type: "role", role: "publisher" });
      published += quorumsIn(lines).length;
    }
    expect(published).toBe(1);
    expect(onBus(bus, "standing-by-quorum")).toHaveLength(1);
  });

  it("still publishes it once after bus clean deleted its expired envelope", () => {
    const start = Date.now() - 3 * 60 * MIN;
    const { bus, home } = idleEpisode(start);
    let published = 0;
    for (let t = 0; t <= 90; t += 5) {
      published += quorumsIn(detectOnce(bus, home, start + t * MIN)).length;
      if (t === 35) {
        expect(runCli(["bus", "clean", "--expired", "--bus-dir", bus, "--home", home]).code).toBe(0);
        expect(onBus(bus, "standing-by-quorum")).toEqual([]);
      }
    }
    expect(published).toBe(1);
  });
});

describe("several detectors on one bus", () => {
  it("one publishes (one quorum envelope per episode), the others say they read only, and one takes over when it is killed", async () => {
    const { bus, home } = makeBus();
    const args = ["--bus-dir", bus, "--home", home];
    const detectors = [new DetectProcess(args), new DetectProcess(args), new DetectProcess(args)];
    try {
      const roles = await Promise.all(detectors.map((d) => d.waitFor((l) => l.type === "role", 15_000, "its role")));
      expect(roles.map((r) => (r.type === "role" ? r.role : "")).sort()).toEqual(["publisher", "read-only", "read-only"]);
      const publisher = detectors[roles.findIndex((r) => r.type === "role" && r.role === "publisher")] as DetectProcess;
      const others = detectors.filter((d) => d !== publisher);
      for (const r of roles) if (r.type === "role" && r.role === "read-only") expect(r.message).toMatch(`detector ${publisher.pid} is the publisher`);

      // A one-shot run beside them reads only, and says so in text.
      const once = runCli(["detect", "--once", ...args]);
      expect(once.stdout).toMatch(new RegExp(`read-only: detector ${publisher.pid} is the publisher on this bus; this run publishes nothing`));

      for (const s of ["otto-desktop", "otto-launchd"]) writeHeartbeat(bus, s, { status: "idle", event: "Stop", pid: process.pid });
      await publisher.waitFor((l) => l.type === "published" && l.envelope.topic === "standing-by-quorum", 15_000, "the quorum");
      // Every detector has evaluated the idle surfaces (and would have published in that same evaluation).
      for (const d of detectors) {
        await d.waitForState("otto-desktop", "idle");
        await d.waitForState("otto-launchd", "idle");
      }
      expect(onBus(bus, "standing-by-quorum")).toHaveLength(1);
      for (const d of others) expect(d.published()).toEqual([]);

      process.kill(publisher.pid as number, "SIGKILL");
      await publisher.exited;
      const successor = await Promise.race(
        others.map((d) => d.waitFor((l) => l.type === "role" && l.role === "publisher", 15_000, "a take-over").then(() => d)),
      );
      const bystander = others.find((d) => d !== successor) as DetectProcess;

      for (let i = 0; i < 6; i++) writeHeartbeat(bus, "otto-cli", { status: "idle", briefAck: true, event: "Stop", pid: process.pid });
      await successor.waitFor((l) => l.type === "published" && l.envelope.topic === "infinite-backlog-nudge", 15_000, "the nudge");
      await bystander.waitForState("otto-cli", "standing-by");
      expect(onBus(bus, "infinite-backlog-nudge")).toHaveLength(1);
      // The successor took up the running episode from the publisher state: not published a second time.
      expect(onBus(bus, "standing-by-quorum")).toHaveLength(1);
      expect(bystander.published()).toEqual([]);
    } finally {
      await Promise.all(detectors.map((d) => d.stop()));
    }
  }, 90_000);
});
