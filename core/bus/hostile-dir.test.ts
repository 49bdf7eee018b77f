// A hostile bus directory (thousands of broken, huge, non-regular, foreign-owned and malicious files) and the bus trust check.
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DetectProcess, makeBus, writeHeartbeat, writeRaw } from "../../test-support/bus";
import { runCli, runCliAsync } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import type { Snapshot } from "../snapshot";
import type { Envelope } from "./envelope";
import { BusReader } from "./reader";
import { buildEnvelope } from "./writer";

const NOW_ISO = "2026-05-16T07:13:00.000Z";
const NOW = Date.parse(NOW_ISO);
const at = (secondsBefore: number) => new Date(NOW - secondsBefore * 1000);
const OTHER_UID = 65534;

/** An envelope's JSON text with any field replaced (for hostile variants that the writer would never produce). */
function envelopeText(fields: Partial<Record<keyof Envelope, unknown>> & { payload: unknown }, when = at(60)): { id: string; text: string } {
  const base = buildEnvelope({ topic: "heartbeat", payload: null, from: "some-bot" }, when);
  const envelope = { ...base, ...fields };
  return { id: String(envelope.id), text: JSON.stringify(envelope) };
}

interface Planted {
  envelopes: number;
  foreign: number;
  rejected: number;
  rejectedFiles: string[];
  /** Files a reader must skip quietly (neither counted nor rejected). */
  skipped: number;
  /** Rejected files with the reason the reader must give. */
  reasons: { file: string; reason: RegExp }[];
}

/**
 * Fills `bus` with the real heartbeats below plus thousands of hostile files; returns what a reader
 * must count. The real state at NOW: otto-cli working, otto-desktop idle with a brief-ack streak of 3
 * (one of its beats carries `__proto__`/`constructor` keys), otto-launchd stale (20 min old).
 */
function plantHostileBus(bus: string, outside: string): Planted {
  const planted: Planted = { envelopes: 0, foreign: 0, rejected: 0, rejectedFiles: [], skipped: 0, reasons: [] };
  const reject = (file: string, reason?: RegExp) => {
    planted.rejected++;
    planted.rejectedFiles.push(file);
    if (reason) planted.reasons.push({ file, reason });
  };

  // --- The real heartbeats (written by the atomic writer).
  writeHeartbeat(bus, "otto-cli", { status: "idle" }, at(600));
  writeHeartbeat(bus, "otto-cli", { status: "working", note: "real" }, at(20));
  writeHeartbeat(bus, "otto-desktop", { status: "working", event: "PostToolUse" }, at(300));
  writeHeartbeat(bus, "otto-desktop", { status: "idle", briefAck: true, event: "Stop" }, at(100));
  writeHeartbeat(bus, "otto-desktop", { status: "idle", briefAck: true, event: "Stop" }, at(40));
  writeHeartbeat(bus, "otto-launchd", { status: "alive", note: "tick" }, at(1200));
  planted.envelopes += 6;

  // A heartbeat with prototype-polluting keys at every level: accepted with the keys dropped, prototypes untouched.
  {
    const id = randomUUID();
    const text =
      `{"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}},` +
      `"id":"${id}","topic":"heartbeat","from":"otto-desktop","to":"*","timestamp":"${at(70).toISOString()}",` +
      `"expiresAt":"${at(-230).toISOString()}","payload":{"status":"idle","briefAck":true,"event":"Stop",` +
      `"__proto__":{"polluted":"payload","status":"working"},"constructor":{"prototype":{"polluted":"payload-ctor"}},"prototype":{"x":1}}}`;
    writeRaw(bus, `${id}.json`, text);
    planted.envelopes++;
  }
  // Only `__proto__` carries the status: with the key dropped the payload has no status → rejected.
  {
    const { id, text } = envelopeText({ from: "otto-cli", payload: {} }, at(5));
    writeRaw(bus, `${id}.json`, text.replace('"payload":{}', '"payload":{"__proto__":{"status":"idle","waiting":"proto prompt"}}'));
    reject(`${id}.json`, /status/);
  }

  // --- Thousands of broken files.
  for (let i = 0; i < 1200; i++) {
    // Truncated mid-write: valid envelopes cut at a random point.
    const { id, text } = envelopeText({ from: "otto-cli", payload: { status: "working" } }, at(5));
    writeRaw(bus, `${id}.json`, text.slice(0, 1 + Math.floor(Math.random() * (text.length - 2))));
    reject(`${id}.json`, i === 0 ? /JSON/ : undefined);
  }
  for (let i = 0; i < 1200; i++) {
    // Random garbage bytes (mostly not UTF-8), under a UUID name and under odd names.
    const name = i % 2 === 0 ? `${randomUUID()}.json` : `garbage-${i}.json`;
    writeRaw(bus, name, Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), randomBytes(16 + (i % 200))]));
    reject(name);
  }
  for (let i = 0; i < 300; i++) {
    const name = `${randomUUID()}.json`;
    writeRaw(bus, name, "");
    reject(name);
  }
  for (const text of ["[]", "null", '"a string"', "42", "true", "{}", '{"id":1}']) {
    const name = `${randomUUID()}.json`;
    writeRaw(bus, name, text);
    reject(name);
  }
  // Old valid envelopes on foreign topics and from a surface nobody configured: kept, counted.
  for (let i = 0; i < 600; i++) {
    const { id, text } = envelopeText({ topic: `zeta-tool-${i % 7}`, from: "some-tool", payload: { n: i } }, at(3600 + i));
    writeRaw(bus, `${id}.json`, text);
    planted.envelopes++;
    planted.foreign++;
  }
  for (let i = 0; i < 400; i++) {
    writeHeartbeat(bus, "some-bot", { status: i % 2 === 0 ? "idle" : "working" }, at(900 + i));
    planted.envelopes++;
  }
  // Not envelopes at all: skipped quietly.
  for (let i = 0; i < 100; i++) {
    writeRaw(bus, `seen-surface-${i}.json`, randomBytes(32));
    writeRaw(bus, `acquire-B-${i}.lock`, "123");
    writeRaw(bus, `.${randomUUID()}.json.tmp-1-abcd`, "{");
    writeRaw(bus, `notes-${i}.txt`, "hello");
    planted.skipped += 4;
  }

  // --- A huge file: rejected by size, never read (a sparse file, so planting it is instant too).
  {
    const id = randomUUID();
    const path = join(bus, `${id}.json`);
    writeFileSync(path, `{"id":"${id}","topic":"heartbeat","payload":{"status":"working","note":"`);
    truncateSync(path, 50 * 1024 * 1024);
    reject(`${id}.json`, /over the .*limit/);
  }
  // A deeply nested payload (100 000 levels): valid JSON, but it would blow the stack of whoever
  // serialises it later (bus list), so it is rejected by depth, without recursion.
  {
    const depth = 100_000;
    const { id, text } = envelopeText({ topic: "deep-thing", from: "some-tool", payload: "@@" }, at(100));
    writeRaw(bus, `${id}.json`, text.replace('"@@"', "[".repeat(depth) + "]".repeat(depth)));
    reject(`${id}.json`, /nested deeper than/);
  }

  // --- FIFOs: never opened (opening one for reading would block forever without O_NONBLOCK).
  for (let i = 0; i < 3; i++) {
    const name = i === 0 ? `${randomUUID()}.json` : `fifo-${i}.json`;
    execFileSync("mkfifo", [join(bus, name)]);
    reject(name, /not a regular file/);
  }
  // --- Symlinks: never followed. One points at /etc/passwd, one at a real, newer envelope that
  // would flip otto-cli to `waiting` if it were followed, one dangles.
  symlinkSync("/etc/passwd", join(bus, "passwd.json"));
  reject("passwd.json", /symlink/);
  {
    const target = buildEnvelope({ topic: "heartbeat", payload: { status: "alive", waiting: "followed a symlink" }, from: "otto-cli" }, at(1));
    const targetPath = join(outside, `${target.id}.json`);
    writeFileSync(targetPath, JSON.stringify(target));
    symlinkSync(targetPath, join(bus, `${target.id}.json`));
    reject(`${target.id}.json`, /symlink/);
  }
  {
    const name = `${randomUUID()}.json`;
    symlinkSync(join(outside, "missing.json"), join(bus, name));
    reject(name, /symlink/);
  }
  // --- Directories named like envelopes (one holding a file named like an envelope).
  for (let i = 0; i < 2; i++) {
    const name = `${randomUUID()}.json`;
    mkdirSync(join(bus, name));
    writeHeartbeat(join(bus, name), "otto-cli", { status: "alive", waiting: "inside a directory" }, at(1));
    reject(name, /not a regular file/);
  }

  // --- Ids and senders that are not surface ids; ids that are not UUIDs; names that do not match.
  for (const from of ["../../x", "OTTO-CLI", "a".repeat(65), "", "otto cli", "-otto", "otto-cli\n", "otto-é", 42, null]) {
    const { id, text } = envelopeText({ from, payload: { status: "alive", waiting: "bad sender" } }, at(2));
    writeRaw(bus, `${id}.json`, text);
    reject(`${id}.json`, /from/);
  }
  for (const to of ["../../y", "ALL", "b".repeat(65)]) {
    const { id, text } = envelopeText({ from: "otto-cli", to, payload: { status: "alive", waiting: "bad recipient" } }, at(2));
    writeRaw(bus, `${id}.json`, text);
    reject(`${id}.json`, /to/);
  }
  {
    writeRaw(bus, "id-is-a-path.json", envelopeText({ id: "../../etc", from: "otto-cli", payload: { status: "idle" } }).text);
    reject("id-is-a-path.json", /id/);
    const { text } = envelopeText({ from: "otto-cli", payload: { status: "alive", waiting: "wrong name" } }, at(2));
    const name = `${randomUUID()}.json`;
    writeRaw(bus, name, text);
    reject(name, /does not match/);
  }
  // Heartbeat payloads that are wrong: statuses other tools do not know, wrong types, a string payload.
  for (const payload of ["working", { status: "busy" }, { status: "idle", briefAck: "yes" }, { status: "alive", pid: -1 }, { status: "alive", waiting: 7 }]) {
    const { id, text } = envelopeText({ from: "otto-cli", payload }, at(2));
    writeRaw(bus, `${id}.json`, text);
    reject(`${id}.json`, /payload/);
  }

  // --- Bad and far-future timestamps. Year 9999 must not make otto-launchd fresh forever.
  for (const timestamp of ["not-a-date", "", 1747379580000, "2026-13-45T99:99:99Z", "x".repeat(100), "9999-12-31T23:59:59.000Z", "+275760-09-13T00:00:00.000Z", at(-3600).toISOString()]) {
    const { id, text } = envelopeText({ from: "otto-launchd", payload: { status: "working", note: "from the future" }, timestamp }, at(1));
    writeRaw(bus, `${id}.json`, text);
    reject(`${id}.json`, /timestamp/);
  }

  // --- A BOM before the JSON: not JSON (RFC 8259 forbids it) → rejected, like other garbage.
  {
    const { id, text } = envelopeText({ from: "some-bot", payload: { status: "working" } }, at(30));
    writeRaw(bus, `${id}.json`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    reject(`${id}.json`, /JSON/);
  }
  // Non-UTF-8 bytes inside a string of otherwise valid JSON: decoded with replacement characters, accepted.
  {
    const { id, text } = envelopeText({ from: "some-bot", payload: { status: "idle", note: "@@" } }, at(30));
    const [head, tail] = text.split("@@") as [string, string];
    writeRaw(bus, `${id}.json`, Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(tail)]));
    planted.envelopes++;
  }

  // --- A valid, newer heartbeat owned by another user: ignored (it would make otto-cli `waiting`).
  {
    const envelope = buildEnvelope({ topic: "heartbeat", payload: { status: "alive", waiting: "someone else's file" }, from: "otto-cli" }, at(3));
    const path = join(bus, `${envelope.id}.json`);
    writeFileSync(path, JSON.stringify(envelope));
    chownSync(path, OTHER_UID, OTHER_UID);
    reject(`${envelope.id}.json`, /owned by uid 65534/);
  }
  return planted;
}

function expectRealStates(snapshot: Snapshot): void {
  const byId = Object.fromEntries(snapshot.surfaces.map((s) => [s.id, s]));
  expect(byId["otto-cli"]).toMatchObject({ state: "working", note: "real", waiting: null, lastHeartbeatAt: at(20).toISOString() });
  expect(byId["otto-desktop"]).toMatchObject({ state: "idle", briefAckStreak: 3, lastHeartbeatAt: at(40).toISOString() });
  expect(byId["otto-launchd"]).toMatchObject({ state: "stale", lastHeartbeatAt: at(1200).toISOString() });
}

describe("a hostile bus directory", () => {
  let bus: string;
  let home: string;
  let planted: Planted;
  let fileCount: number;

  beforeAll(() => {
    const fx = makeBus("otto-hostile-");
    bus = fx.bus;
    home = fx.home;
    const outside = join(fx.root, "outside");
    mkdirSync(outside);
    planted = plantHostileBus(bus, outside);
    fileCount = readdirSync(bus).length;
  }, 60_000);


  it("the reader counts exactly what was planted, with a reason for each rejection", () => {
    expect(fileCount).toBeGreaterThan(4000);
    const reader = new BusReader(bus, { now: () => NOW });
    reader.scan();
    expect(reader.rejected().map((r) => r.file).sort()).toEqual([...planted.rejectedFiles].sort());
    expect(reader.counts()).toEqual({ envelopes: planted.envelopes, foreign: planted.foreign, rejected: planted.rejected, pending: 0 });
    expect(fileCount).toBe(planted.envelopes + planted.rejected + planted.skipped);

    const reasons = new Map(reader.rejected().map((r) => [r.file, r.reason]));
    for (const { file, reason } of planted.reasons) expect(reasons.get(file), file).toMatch(reason);
    // Only configured-looking, valid senders became surfaces.
    expect(reader.heartbeats.surfaces().sort()).toEqual(["otto-cli", "otto-desktop", "otto-launchd", "some-bot"]);
    // The prototype of every object stays clean.
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("status");
    const protoBeat = reader.heartbeats.history("otto-desktop").find((r) => r.at === at(70).getTime());
    expect(protoBeat).toMatchObject({ status: "idle", briefAck: true });
    expect(Object.getPrototypeOf(protoBeat)).toBe(Object.prototype);
    expect(Object.keys(protoBeat ?? {})).not.toContain("__proto__");
    expect(Object.keys(protoBeat ?? {})).not.toContain("constructor");

    // A second scan parses nothing again and keeps the same counts (nothing changed).
    expect(reader.scan()).toBe(0);
    expect(reader.counts().rejected).toBe(planted.rejected);
  });

  it("status --json (the real CLI) finishes, and shows the real heartbeats' states", () => {
    const result = runCli(["status", "--json", "--now", NOW_ISO, "--bus-dir", bus, "--home", home], { timeoutMs: 60_000 });
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.busTrusted).toBe(true);
    expectRealStates(snapshot);
    expect(snapshot.bus).toEqual({ envelopes: planted.envelopes, foreign: planted.foreign, rejected: planted.rejected, pending: 0 });
  });

  it("status (table) and detect --once finish too", async () => {
    const [table, once] = await Promise.all([
      runCliAsync(["status", "--now", NOW_ISO, "--bus-dir", bus, "--home", home], { timeoutMs: 60_000 }),
      runCliAsync(["detect", "--once", "--json", "--bus-dir", bus, "--home", home], { timeoutMs: 60_000 }),
    ]);
    expect(table.signal).toBeNull();
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^otto-cli\s+working/m);
    expect(table.stdout).toMatch(/^otto-desktop\s+idle/m);
    expect(table.stdout).toMatch(/^otto-launchd\s+stale/m);
    expect(once.signal).toBeNull();
    expect(once.code).toBe(0);
    // Months later every planted heartbeat is old: one state line per surface, nothing published.
    const lines = once.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; surface?: string });
    expect(lines.filter((l) => l.type === "state").map((l) => l.surface).sort()).toEqual(["otto-cli", "otto-desktop", "otto-launchd"]);
    expect(lines.filter((l) => l.type === "published")).toEqual([]);
  });

  it("detect (watching) starts on it, keeps running and sees a new real heartbeat", async () => {
    const detect = new DetectProcess(["--bus-dir", bus, "--home", home]);
    try {
      await detect.waitForState("otto-cli", "stale", 30_000);
      // More hostility while it runs, then a real beat.
      writeRaw(bus, `${randomUUID()}.json`, "{\"id\":");
      execFileSync("mkfifo", [join(bus, `${randomUUID()}.json`)]);
      symlinkSync("/etc/passwd", join(bus, `${randomUUID()}.json`));
      writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: "a real prompt" });
      await detect.waitForState("otto-cli", "waiting", 15_000);
      expect(detect.alive).toBe(true);
    } finally {
      await detect.stop();
    }
  }, 60_000);
});

describe("the bus trust check", () => {
  /** A bus where two surfaces are idle right now: a trusted detector publishes a standing-by quorum. */
  function quorumBus(): { bus: string; home: string } {
    const fx = makeBus("otto-trust-");
    writeHeartbeat(fx.bus, "otto-cli", { status: "idle" });
    writeHeartbeat(fx.bus, "otto-desktop", { status: "idle" });
    return fx;
  }
  const envelopeCount = (bus: string) => readdirSync(bus).filter((n) => n.endsWith(".json")).length;

  function detectOnce(bus: string, home: string): { type: string; envelope?: Envelope; message?: string }[] {
    const result = runCli(["detect", "--once", "--json", "--bus-dir", bus, "--home", home], { timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    return result.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; envelope?: Envelope; message?: string });
  }

  it("a trusted bus (control): detect --once publishes the quorum", () => {
    const { bus, home } = quorumBus();
    const lines = detectOnce(bus, home);
    expect(lines.filter((l) => l.type === "published").map((l) => l.envelope?.topic)).toEqual(["standing-by-quorum"]);
    expect(envelopeCount(bus)).toBe(3);
  });

  it("a world-writable bus: busTrusted false with a reason, and detect --once publishes nothing", () => {
    const { bus, home } = quorumBus();
    chmodSync(bus, 0o777);
    const status = runCli(["status", "--json", "--bus-dir", bus, "--home", home]);
    expect(status.code).toBe(0);
    const snapshot = JSON.parse(status.stdout) as Snapshot;
    expect(snapshot.busTrusted).toBe(false);
    expect(snapshot.busProblem).toMatch(/writable by other users/);
    // It is still shown: the states are read, only acting on them is off.
    expect(snapshot.quorum.active).toBe(true);
    const table = runCli(["status", "--bus-dir", bus, "--home", home]);
    expect(table.stdout).toContain("NOT trusted");

    const lines = detectOnce(bus, home);
    expect(lines.filter((l) => l.type === "published")).toEqual([]);
    expect(lines.find((l) => l.type === "problem")?.message).toMatch(/not trusted.*writable/);
    expect(envelopeCount(bus)).toBe(2);
    chmodSync(bus, 0o700);
  });

  it("a bus owned by another user: busTrusted false with a reason, and detect --once publishes nothing", () => {
    const { bus, home } = quorumBus();
    chownSync(bus, OTHER_UID, OTHER_UID);
    const snapshot = JSON.parse(runCli(["status", "--json", "--bus-dir", bus, "--home", home]).stdout) as Snapshot;
    expect(snapshot.busTrusted).toBe(false);
    expect(snapshot.busProblem).toMatch(/owned by uid 65534/);
    expect(snapshot.busMissing).toBe(false);
    const lines = detectOnce(bus, home);
    expect(lines.filter((l) => l.type === "published")).toEqual([]);
    expect(lines.find((l) => l.type === "problem")?.message).toMatch(/owned by uid 65534/);
    expect(envelopeCount(bus)).toBe(2);
    chownSync(bus, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  });

  it("a bus directory that does not exist: untrusted, nothing published, not created", () => {
    const root = makeTempDir("otto-trust-missing-");
    const bus = join(root, "no-bus");
    const snapshot = JSON.parse(runCli(["status", "--json", "--bus-dir", bus, "--home", root]).stdout) as Snapshot;
    expect(snapshot.busTrusted).toBe(false);
    expect(snapshot.busProblem).toMatch(/does not exist/);
    // Missing is told apart from a trust problem: the popover says "no heartbeats yet", not "not trusted".
    expect(snapshot.busMissing).toBe(true);
    expect(detectOnce(bus, root).filter((l) => l.type === "published")).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });
});
