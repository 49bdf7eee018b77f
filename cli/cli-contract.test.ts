// The CLI contract shared by every command: exit codes, errors that name the argument, global options.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

describe("otto-tray CLI contract", () => {
  it("prints usage and exits 2 without a command, 0 with --help", () => {
    expect(runCli([]).code).toBe(2);
    const help = runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: otto-tray <command>/);
  });

  it("exits 2 for an unknown command or option, naming it", () => {
    const unknown = runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const option = runCli(["status", "--frob"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--frob/);
  });

  it("heartbeat writes one envelope into --bus-dir and validates its arguments", () => {
    const bus = makeTempDir();
    const ok = runCli(["heartbeat", "--bus-dir", bus, "--surface", "otto-cli", "--status", "idle", "--brief-ack", "--note", "hi", "--json"]);
    expect(ok.code).toBe(0);
    const envelope = JSON.parse(ok.stdout);
    expect(envelope).toMatchObject({ topic: "heartbeat", from: "otto-cli", to: "*", payload: { status: "idle", briefAck: true, note: "hi" } });
    expect(readdirSync(bus)).toEqual([`${envelope.id}.json`]);
    expect(JSON.parse(readFileSync(join(bus, `${envelope.id}.json`), "utf8"))).toEqual(envelope);

    const badStatus = runCli(["heartbeat", "--bus-dir", bus, "--surface", "otto-cli", "--status", "sleeping"]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/--status: "sleeping" is not one of alive, idle, working/);
    const badId = runCli(["heartbeat", "--bus-dir", bus, "--surface", "../etc", "--status", "idle"]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/--surface/);
    const missing = runCli(["heartbeat", "--bus-dir", bus, "--status", "idle"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--surface is required/);
    expect(readdirSync(bus)).toHaveLength(1);
  });

  it("takes the bus from $ZETA_BUS_DIR when --bus-dir is absent", () => {
    const bus = makeTempDir();
    expect(runCli(["heartbeat", "--surface", "otto-cli", "--status", "working"], { env: { ZETA_BUS_DIR: bus } }).code).toBe(0);
    const status = JSON.parse(runCli(["status", "--json"], { env: { ZETA_BUS_DIR: bus } }).stdout);
    expect(status.busDir).toBe(bus);
    expect(status.surfaces[0]).toMatchObject({ id: "otto-cli", state: "working" });
  });

  it("status warns about one invalid preference on stderr, naming the field, and goes on with every other setting", () => {
    const dir = makeTempDir();
    const config = join(dir, "prefs.json");
    writeFileSync(config, JSON.stringify({ quorumSize: 0 }));
    const result = runCli(["status", "--config", config, "--bus-dir", dir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/quorumSize: must be a whole number from 2 to 16/);
  });

  it("status --now rejects a time it cannot read", () => {
    const result = runCli(["status", "--now", "yesterday"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--now: "yesterday" is not an ISO-8601 time/);
  });

  it("bus clean needs --expired and removes only expired envelopes", () => {
    const bus = makeTempDir();
    expect(runCli(["bus", "clean", "--bus-dir", bus]).code).toBe(2);
    runCli(["heartbeat", "--bus-dir", bus, "--surface", "otto-cli", "--status", "working"]);
    writeFileSync(join(bus, "seen-otto-cli.json"), "[]");
    const old = {
      id: "11111111-2222-4333-8444-555555555555",
      topic: "heartbeat",
      payload: { status: "idle" },
      from: "otto-cli",
      to: "*",
      timestamp: "2020-01-01T00:00:00Z",
      expiresAt: "2020-01-01T00:05:00Z",
    };
    writeFileSync(join(bus, `${old.id}.json`), JSON.stringify(old));
    const cleaned = runCli(["bus", "clean", "--expired", "--bus-dir", bus, "--json"]);
    expect(cleaned.code).toBe(0);
    expect(JSON.parse(cleaned.stdout)).toMatchObject({ removed: 1, expired: [`${old.id}.json`] });
    expect(readdirSync(bus).sort()).toHaveLength(2);
    expect(readdirSync(bus)).toContain("seen-otto-cli.json");
  });
});
