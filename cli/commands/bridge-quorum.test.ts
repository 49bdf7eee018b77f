// One quorum across machines, told once: three simulated machines (one surface each) through a real nats-server; the
// publisher's bridge killed mid-episode, a hub outage, and a machine cut off telling only its own quorums, marked local.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { ESCALATIONS_STREAM } from "../../core/bridge/escalation-stream";
import { Machine, stopAllBridges } from "../../test-support/bridge-machine";
import { runCli } from "../../test-support/cli";
import { startNatsServer, stopAllNatsServers } from "../../test-support/nats-server";
import { waitFor } from "../../test-support/terminal";

afterAll(() => {
  stopAllBridges();
  stopAllNatsServers();
});

/** A short lease, so a hand-over is seen in seconds (the default TTL is 10 s). */
const FAST_LEASE = { OTTO_TRAY_BRIDGE_LEASE_MS: "2000" };

/** The quorum escalations on a machine's bus (payloads). */
function quorumsOn(machine: Machine): { surfaces: string[]; episodeId: string; scope?: string }[] {
  return readdirSync(machine.bus)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(machine.bus, name), "utf8")) as { topic: string; payload: { surfaces: string[]; episodeId: string; scope?: string } })
    .filter((e) => e.topic === "standing-by-quorum")
    .map((e) => e.payload);
}

async function streamMessages(url: string): Promise<number> {
  const nc = await connect({ servers: url });
  try {
    return (await (await jetstreamManager(nc)).streams.info(ESCALATIONS_STREAM)).state.messages;
  } finally {
    await nc.close();
  }
}

/** A machine watching one surface (`otto-cli`), so only machines together can make a quorum of two. */
function machine(host: string): Machine {
  const m = new Machine(host);
  writeFileSync(join(m.home, "preferences.json"), JSON.stringify({ surfaces: ["otto-cli"], quorumCooldownSeconds: 0 }));
  return m;
}

describe("the quorum across machines (real nats-server)", () => {
  it("two of three machines idle: one quorum in the stream and on each bus; the publisher killed mid-episode, another takes over without telling it again", async () => {
    const hub = await startNatsServer();
    const machines = [machine("mac-a"), machine("mac-b"), machine("mac-c")];
    for (const m of machines) await m.startBridge(hub.url, [], FAST_LEASE);
    for (const m of machines) await m.waitForOutput(/connected to/, "connected");
    const publisher = await waitFor(() => machines.find((m) => m.output().includes("this machine now publishes the quorum across machines")), "one machine to hold the lease");
    const [a, b] = machines as [Machine, Machine, Machine];
    a.beat("otto-cli", { status: "idle", pid: process.pid });
    b.beat("otto-cli", { status: "idle", pid: process.pid });
    for (const m of machines) await waitFor(() => quorumsOn(m).length > 0, `${m.host}: the quorum written to its bus`, { timeoutMs: 30_000, describe: () => m.output() });
    const told = quorumsOn(machines[2] as Machine)[0];
    expect(told?.surfaces).toEqual(["mac-a.otto-cli", "mac-b.otto-cli"]);
    expect(told?.scope).toBe("machines");
    expect(told?.episodeId).toMatch(/^q-[0-9a-f]{32}$/);
    expect(await streamMessages(hub.url)).toBe(1);

    // The publisher dies mid-episode: another machine takes the lease and resumes the episode from KV, told already.
    await publisher.stopBridge("SIGKILL");
    const others = machines.filter((m) => m !== publisher);
    const successor = await waitFor(() => others.find((m) => /took over quorum q-[0-9a-f]{32} \(already told: not told again\)/.test(m.output())), "another machine to take over the episode", { timeoutMs: 60_000, describe: () => others.map((m) => m.output()).join("\n") });
    expect(successor.output()).toContain("this machine now publishes the quorum across machines");
    expect(await streamMessages(hub.url)).toBe(1);
    for (const m of others) expect(quorumsOn(m).filter((q) => q.scope === "machines"), m.host).toHaveLength(1);
    for (const m of others) await m.stopBridge();
    await hub.stop();
  });

  it("a hub outage loses and repeats nothing: the episode told before it is not told again after; one that forms after it is told once", async () => {
    const hub = await startNatsServer();
    const a = machine("mac-a");
    const b = machine("mac-b");
    for (const m of [a, b]) await m.startBridge(hub.url, [], FAST_LEASE);
    await waitFor(() => [a, b].some((m) => m.output().includes("this machine now publishes the quorum across machines")), "one machine to hold the lease");
    a.beat("otto-cli", { status: "idle", pid: process.pid });
    b.beat("otto-cli", { status: "idle", pid: process.pid });
    for (const m of [a, b]) await waitFor(() => quorumsOn(m).length === 1, `${m.host}: the first quorum`, { timeoutMs: 30_000, describe: () => m.output() });

    await hub.stop();
    for (const m of [a, b]) await m.waitForOutput(/lost nats:.*reconnecting/, "lost the hub");
    // Local status never stops while the hub is away.
    expect(runCli(["status", "--json", "--bus-dir", a.bus, "--home", a.home]).code).toBe(0);
    const again = await hub.restart();
    for (const m of [a, b]) await m.waitForOutput(/reconnected to nats:/, "reconnected");
    // Whoever holds the lease now (the same machine, or one that took it over) goes on with the episode, told already.
    const resumed = /after reconnecting: quorum q-[0-9a-f]{32} continues \(already told\)|took over quorum q-[0-9a-f]{32} \(already told: not told again\)/;
    await waitFor(() => [a, b].some((m) => resumed.test(m.output())), "the episode resumed after the outage", { timeoutMs: 60_000, describe: () => a.output() + b.output() });
    expect(await streamMessages(again.url)).toBe(1);
    for (const m of [a, b]) expect(quorumsOn(m), m.host).toHaveLength(1);

    // A new episode after the outage (cooldown 0 here): told once, on both buses.
    a.beat("otto-cli", { status: "working" });
    await waitFor(() => b.remoteState("mac-a", "otto-cli") === "working", "mac-a working again, seen on mac-b", { timeoutMs: 30_000 });
    a.beat("otto-cli", { status: "idle", pid: process.pid });
    for (const m of [a, b]) await waitFor(() => quorumsOn(m).length === 2, `${m.host}: the second quorum`, { timeoutMs: 30_000, describe: () => m.output() });
    expect(await streamMessages(again.url)).toBe(2);
    for (const m of [a, b]) await m.stopBridge();
    await again.stop();
  }, 180_000);

  it("a quorum told on one machine while the hub was away reaches the others once it is back, and is not told again across machines", async () => {
    const hub = await startNatsServer();
    const a = new Machine("mac-a");
    writeFileSync(join(a.home, "preferences.json"), JSON.stringify({ surfaces: ["otto-cli", "otto-desktop"], quorumCooldownSeconds: 0 }));
    const b = machine("mac-b");
    for (const m of [a, b]) await m.startBridge(hub.url, [], FAST_LEASE);
    await waitFor(() => [a, b].some((m) => m.output().includes("this machine now publishes the quorum across machines")), "one machine to hold the lease");
    await hub.stop();
    for (const m of [a, b]) await m.waitForOutput(/lost nats:.*reconnecting/, "lost the hub");
    a.beat("otto-cli", { status: "idle", pid: process.pid });
    a.beat("otto-desktop", { status: "idle", pid: process.pid });
    await waitFor(() => quorumsOn(a).length === 1, "mac-a's own quorum while cut off", { timeoutMs: 30_000, describe: () => a.output() });
    expect(quorumsOn(a)[0]).toMatchObject({ scope: "local", surfaces: ["otto-cli", "otto-desktop"] });
    const again = await hub.restart();
    await a.waitForOutput(/told while cut off \(mac-a\.otto-cli, mac-a\.otto-desktop\): told to the other machines now/, "the local quorum sent on");
    await waitFor(() => quorumsOn(b).length === 1, "mac-b to get mac-a's local quorum", { timeoutMs: 30_000, describe: () => b.output() });
    expect(quorumsOn(b)[0]).toMatchObject({ scope: "local", surfaces: ["mac-a.otto-cli", "mac-a.otto-desktop"] });
    // The holder sees the same two idle runs as a quorum across machines, and knows they were told.
    await waitFor(() => [a, b].some((m) => /\(mac-a\.otto-cli, mac-a\.otto-desktop\) was told while cut off: not told again/.test(m.output())), "the holder not to tell it again", { timeoutMs: 60_000, describe: () => a.output() + b.output() });
    expect(await streamMessages(again.url)).toBe(1);
    for (const m of [a, b]) expect(quorumsOn(m), m.host).toHaveLength(1);
    for (const m of [a, b]) await m.stopBridge();
    await again.stop();
  }, 180_000);

  it("a machine cut off from the hub tells a quorum of its own surfaces, marked local; nothing crosses while it is away", async () => {
    const hub = await startNatsServer();
    const solo = new Machine("mac-solo");
    await solo.startBridge(hub.url, [], FAST_LEASE);
    await solo.waitForOutput(/this machine now publishes the quorum across machines/, "the lease");
    await hub.stop();
    await solo.waitForOutput(/lost nats:.*reconnecting/, "lost the hub");
    solo.beat("otto-cli", { status: "idle", pid: process.pid });
    solo.beat("otto-desktop", { status: "idle", pid: process.pid });
    await waitFor(() => quorumsOn(solo).length > 0, "a local quorum", { timeoutMs: 30_000, describe: () => solo.output() });
    expect(quorumsOn(solo)).toEqual([expect.objectContaining({ scope: "local", surfaces: ["otto-cli", "otto-desktop"] })]);
    await solo.stopBridge();
  });
});
