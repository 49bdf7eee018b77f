// BridgeStatusReader: the app's view of another process's bridge-status.json is read again only when the file changed,
// and whether that bridge still lives is asked every time (a SIGKILLed bridge leaves its file behind).
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { writeJsonAtomic } from "../fs/atomic-write";
import { processRef } from "../process-liveness";
import { BRIDGE_STATUS_FILE, BridgeStatusReader, readBridgeStatus } from "./status-file";

/** A clock past the cache's quiet time, so a file written just now may be kept (core/fs/stat-keyed-cache.ts). */
const later = () => Date.now() + 60_000;

const status = (host: string, process: unknown, link = "connected") => ({
  host,
  url: "nats://127.0.0.1:4222",
  link,
  since: "2026-12-07T21:00:00.000Z",
  problem: null,
  remote: [],
  refusedRecords: 0,
  quorum: { publisher: null, thisMachine: false },
  process,
});

describe("BridgeStatusReader", () => {
  it("parses the file again only when it was replaced, and agrees with readBridgeStatus every time", () => {
    const home = makeTempDir();
    const file = join(home, BRIDGE_STATUS_FILE);
    const reader = new BridgeStatusReader(home, later);
    expect(reader.read()).toEqual({ kind: "none" });
    writeJsonAtomic(file, status("mac-a", processRef(process.pid)), { mode: 0o600 });
    const first = reader.read();
    expect(first).toMatchObject({ kind: "running", status: { host: "mac-a" } });
    expect(reader.read()).toEqual(first);
    const parses = reader.parses;
    for (let i = 0; i < 5; i++) reader.read();
    expect(reader.parses).toBe(parses);
    writeJsonAtomic(file, status("mac-b", processRef(process.pid)), { mode: 0o600 });
    expect(reader.read()).toMatchObject({ kind: "running", status: { host: "mac-b" } });
    expect(reader.parses).toBe(parses + 1);
    expect(reader.read()).toEqual(readBridgeStatus(home));
    writeJsonAtomic(file, status("mac-b", processRef(process.pid), "stopped"), { mode: 0o600 });
    expect(reader.read()).toMatchObject({ kind: "stopped" });
    writeFileSync(file, "{ not json", { mode: 0o600 });
    expect(reader.read()).toMatchObject({ kind: "problem" });
    rmSync(file);
    expect(reader.read()).toEqual({ kind: "none" });
  });

  it("asks every time whether the bridge lives: a bridge killed since (its file unchanged) reads as stopped", async () => {
    const home = makeTempDir();
    const bridge = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const exited = new Promise((resolve) => bridge.on("exit", resolve));
    writeJsonAtomic(join(home, BRIDGE_STATUS_FILE), status("mac-a", processRef(bridge.pid as number)), { mode: 0o600 });
    const reader = new BridgeStatusReader(home, later);
    expect(reader.read()).toMatchObject({ kind: "running", status: { host: "mac-a" } });
    bridge.kill("SIGKILL");
    await exited;
    expect(reader.read()).toMatchObject({ kind: "stopped", last: { host: "mac-a" } });
    expect(reader.parses).toBe(1);
  });
});
