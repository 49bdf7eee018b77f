// Integration on real directories: several writer processes at once while `otto-tray detect --json` runs; a removed bus; quorum and nudge once.
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DetectProcess, makeBus, writeHeartbeat } from "../../test-support/bus";
import { REPO_ROOT, runCli, runCliAsync } from "../../test-support/cli";
import type { Snapshot } from "../snapshot";

/** A node process that writes `count` envelopes through the library's atomic writer, as fast as it can. */
function libraryWriter(bus: string, from: string, count: number): Promise<number> {
  const script = `
    import { publish } from ${JSON.stringify(`${REPO_ROOT}dist/lib/index.js`)};
    const [bus, from, count] = process.argv.slice(1);
    for (let i = 0; i < Number(count); i++) {
      if (i % 3 === 0) publish(bus, { topic: "claim", payload: { itemId: "B-" + i }, from });
      else if (i % 3 === 1) publish(bus, { topic: "zeta-foreign-topic", payload: { i }, from });
      else publish(bus, { topic: "heartbeat", payload: { status: i % 2 ? "working" : "alive", note: String(i) }, from });
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, bus, from, String(count)], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(count) : reject(new Error(`writer ${from} exited ${code}: ${stderr}`))));
  });
}

/** `otto-tray heartbeat` run `beats.length` times in a row, as a hook or a loop would. */
async function cliWriter(bus: string, surface: string, beats: string[][]): Promise<number> {
  for (const extra of beats) {
    const result = await runCliAsync(["heartbeat", "--surface", surface, "--bus-dir", bus, ...extra], { timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`heartbeat ${surface} ${extra.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return beats.length;
}

function status(bus: string, home: string): Snapshot {
  const result = runCli(["status", "--json", "--bus-dir", bus, "--home", home]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

describe("several writer processes at once, with detect running", () => {
  it("counts every envelope, rejects none, and detect reports the final states", { timeout: 90_000 }, async () => {
    const { bus, home } = makeBus("otto-concurrent-");
    const detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
    try {
      await detect.waitFor((l) => l.type === "state" && l.surface === "otto-launchd", 20_000, "the first states");
      // Never two surfaces idle at once (that would make detect publish a quorum and add an envelope).
      const beats = (final: string[]) => [
        ...Array.from({ length: 7 }, (_, i) => ["--status", i % 2 ? "working" : "alive", "--note", `beat ${i}`]),
        ...Array.from({ length: 2 }, () => ["--status", "alive", "--waiting", "an intermediate prompt"]),
        final,
      ];
      const written = await Promise.all([
        cliWriter(bus, "otto-cli", beats(["--status", "working", "--note", "final"])),
        cliWriter(bus, "otto-desktop", beats(["--status", "alive", "--waiting", "final prompt"])),
        cliWriter(bus, "otto-launchd", beats(["--status", "idle", "--note", "final"])),
        libraryWriter(bus, "worker-a", 400),
        libraryWriter(bus, "worker-b", 400),
        libraryWriter(bus, "worker-c", 400),
      ]);
      const total = written.reduce((a, b) => a + b, 0);
      expect(total).toBe(3 * 10 + 3 * 400);

      // No temporary file is left behind, and every file is a complete envelope.
      // The running detector keeps its publisher lock and state beside the envelopes.
      const names = readdirSync(bus).filter((n) => !n.startsWith("otto-tray-publisher."));
      expect(names.filter((n) => n.startsWith("."))).toEqual([]);
      expect(names).toHaveLength(total);
      const snapshot = status(bus, home);
      expect(snapshot.bus).toEqual({ envelopes: total, foreign: 3 * 133, rejected: 0, pending: 0 }); // i % 3 === 1 for i < 400
      const state = (id: string) => snapshot.surfaces.find((s) => s.id === id)?.state;
      expect([state("otto-cli"), state("otto-desktop"), state("otto-launchd")]).toEqual(["working", "waiting", "idle"]);

      await detect.waitForState("otto-cli", "working");
      await detect.waitForState("otto-desktop", "waiting");
      await detect.waitForState("otto-launchd", "idle");
      expect(detect.published()).toEqual([]);
      expect(detect.lines.filter((l) => l.type === "problem")).toEqual([]);
      expect(detect.alive).toBe(true);
    } finally {
      await detect.stop();
    }
  });

  it("keeps running when the bus directory is removed, and picks up heartbeats once it is recreated", { timeout: 60_000 }, async () => {
    const { bus, home } = makeBus("otto-removed-");
    writeHeartbeat(bus, "otto-cli", { status: "working" });
    const detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
    try {
      await detect.waitForState("otto-cli", "working", 20_000);
      for (const round of [1, 2]) {
        rmSync(bus, { recursive: true, force: true });
        await detect.waitFor((l) => l.type === "problem" && /does not exist|missing/.test(l.message) && detect.lines.indexOf(l) >= 0, 15_000, `a problem after removal ${round}`);
        const before = detect.lines.length;
        // `otto-tray heartbeat` recreates the directory (0700) and writes into it.
        const result = runCli(["heartbeat", "--surface", "otto-cli", "--status", "alive", "--waiting", `prompt ${round}`, "--bus-dir", bus]);
        expect(result.code).toBe(0);
        await detect.waitFor((l) => l.type === "state" && l.surface === "otto-cli" && l.state === "waiting" && detect.lines.indexOf(l) >= before, 20_000, `otto-cli waiting after round ${round}`);
        // And keeps following the new directory.
        writeHeartbeat(bus, "otto-cli", { status: "working", note: `after ${round}` });
        await detect.waitFor((l) => l.type === "state" && l.surface === "otto-cli" && l.state === "working" && detect.lines.indexOf(l) > before, 20_000, `otto-cli working after round ${round}`);
        // Problems are cleared lines only; detect must not have exited.
        expect(detect.alive).toBe(true);
      }
    } finally {
      await detect.stop();
    }
  });
});

describe("escalations published by a running detect", () => {
  /** Writes a heartbeat for otto-launchd and waits for detect to report it: everything written before it has been processed. */
  async function sync(detect: DetectProcess, bus: string, n: number): Promise<void> {
    const before = detect.lines.length;
    writeHeartbeat(bus, "otto-launchd", n % 2 ? { status: "working", note: `sync ${n}` } : { status: "alive", waiting: `sync ${n}` });
    const state = n % 2 ? "working" : "waiting";
    await detect.waitFor((l) => l.type === "state" && l.surface === "otto-launchd" && l.state === state && detect.lines.indexOf(l) >= before, 20_000, `sync ${n}`);
  }

  it("one standing-by-quorum per episode of two idle surfaces, not repeated on more beats nor after a restart", { timeout: 60_000 }, async () => {
    const { bus, home } = makeBus("otto-quorum-");
    let detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
    try {
      await detect.waitForState("otto-cli", "unknown", 20_000);
      writeHeartbeat(bus, "otto-cli", { status: "idle" });
      await sync(detect, bus, 1);
      expect(detect.published()).toEqual([]); // one idle surface is not a quorum
      writeHeartbeat(bus, "otto-desktop", { status: "idle" });
      await detect.waitFor((l) => l.type === "published", 20_000, "the quorum");
      for (let i = 0; i < 4; i++) {
        writeHeartbeat(bus, "otto-cli", { status: "idle", note: `more ${i}` });
        writeHeartbeat(bus, "otto-desktop", { status: "idle", note: `more ${i}` });
      }
      await sync(detect, bus, 2);
      await sync(detect, bus, 3);
      const published = detect.published();
      expect(published.map((e) => e.topic)).toEqual(["standing-by-quorum"]);
      expect(published[0]).toMatchObject({ from: "otto-tray", to: "*", payload: { surfaces: ["otto-cli", "otto-desktop"], quorumSize: 2 } });

      await detect.stop();
      detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
      await detect.waitForState("otto-cli", "idle", 20_000);
      writeHeartbeat(bus, "otto-cli", { status: "idle", note: "after restart" });
      await sync(detect, bus, 4);
      expect(detect.published()).toEqual([]);
      const onBus = readdirSync(bus).filter((n) => n.endsWith(".json")).length;
      expect(status(bus, home).bus.envelopes).toBe(onBus);
    } finally {
      await detect.stop();
    }
  });

  it("one infinite-backlog-nudge after 6 brief-ack heartbeats in a row, not repeated on more beats nor after a restart", { timeout: 60_000 }, async () => {
    const { bus, home } = makeBus("otto-nudge-");
    // Strictly increasing timestamps: heartbeats in the same millisecond are ordered by id, not by write order.
    let last = 0;
    const tick = () => new Date((last = Math.max(Date.now(), last + 1)));
    const briefAck = () => writeHeartbeat(bus, "otto-cli", { status: "idle", briefAck: true, event: "Stop" }, tick());
    const userSpeaks = () => writeHeartbeat(bus, "otto-cli", { status: "working", event: "UserPromptSubmit" }, tick());
    userSpeaks();
    let detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
    try {
      await detect.waitForState("otto-cli", "working", 20_000);
      for (let i = 0; i < 5; i++) briefAck();
      await sync(detect, bus, 1);
      expect(detect.published()).toEqual([]); // 5 is below the threshold
      briefAck();
      const nudge = await detect.waitFor((l) => l.type === "published", 20_000, "the nudge");
      expect(nudge).toMatchObject({ type: "published", envelope: { topic: "infinite-backlog-nudge", from: "otto-tray", to: "otto-cli", payload: { surface: "otto-cli", streak: 6 } } });
      await detect.waitForState("otto-cli", "standing-by");
      briefAck();
      briefAck();
      await sync(detect, bus, 2);
      expect(detect.published().map((e) => e.topic)).toEqual(["infinite-backlog-nudge"]);

      await detect.stop();
      detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
      await detect.waitForState("otto-cli", "standing-by", 20_000);
      briefAck();
      await sync(detect, bus, 3);
      expect(detect.published()).toEqual([]);

      // A new streak (after the user speaks) is nudged again, once.
      userSpeaks();
      for (let i = 0; i < 6; i++) briefAck();
      await detect.waitFor((l) => l.type === "published", 20_000, "the second streak's nudge");
      await sync(detect, bus, 4);
      expect(detect.published().map((e) => e.topic)).toEqual(["infinite-backlog-nudge"]);
    } finally {
      await detect.stop();
    }
  });
});
