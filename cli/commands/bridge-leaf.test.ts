// A laptop behind its own leaf node (a JetStream domain of its own) and a machine on the hub, through real nats-servers:
// each sees the other, one quorum across both, and the hub down and up: the laptop's quorum told meanwhile reaches it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { ESCALATIONS_STREAM } from "../../core/bridge/escalation-stream";
import { Machine, stopAllBridges } from "../../test-support/bridge-machine";
import { runCli } from "../../test-support/cli";
import { freePort } from "../../test-support/free-port";
import { startNatsServer, stopAllNatsServers } from "../../test-support/nats-server";
import { waitFor } from "../../test-support/terminal";

afterAll(() => {
  stopAllBridges();
  stopAllNatsServers();
});

const FAST_LEASE = { OTTO_TRAY_BRIDGE_LEASE_MS: "2000" };

interface Quorum {
  surfaces: string[];
  episodeId: string;
  scope?: string;
}

function quorumsOn(machine: Machine): Quorum[] {
  return readdirSync(machine.bus)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(machine.bus, name), "utf8")) as { topic: string; payload: Quorum })
    .filter((e) => e.topic === "standing-by-quorum")
    .map((e) => e.payload);
}

function machine(host: string, surfaces: string[]): Machine {
  const m = new Machine(host);
  writeFileSync(join(m.home, "preferences.json"), JSON.stringify({ surfaces, quorumCooldownSeconds: 0 }));
  return m;
}

/** The hub (domain `hub`) with a leaf-node port, as docs/bridge.md shows it. */
function startHub(leafPort: number) {
  return startNatsServer({ domain: "hub", config: `server_name: hub\nleafnodes { listen: "127.0.0.1:${leafPort}" }` });
}

/** The laptop's own server: a leaf node of the hub, with JetStream domain `laptop`. */
function startLaptopLeaf(leafPort: number) {
  return startNatsServer({ domain: "laptop", config: `server_name: laptop\nleafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }` });
}

/** The hub's escalations stream and its durable consumers, asked on the hub. */
async function hubStream(url: string): Promise<{ messages: number; consumers: { name: string; delivered: number; pending: number }[] }> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const messages = (await jsm.streams.info(ESCALATIONS_STREAM)).state.messages;
    const consumers: { name: string; delivered: number; pending: number }[] = [];
    for await (const c of jsm.consumers.list(ESCALATIONS_STREAM)) consumers.push({ name: c.name, delivered: c.delivered.stream_seq, pending: c.num_ack_pending + c.num_pending });
    return { messages, consumers };
  } finally {
    await nc.close();
  }
}

describe("a laptop as a leaf node of the hub (real nats-servers)", () => {
  it("sees and is seen through the hub, shares one quorum, and its quorum told while the hub was down reaches the hub afterwards", async () => {
    const leafPort = await freePort();
    const hub = await startHub(leafPort);
    const leaf = await startLaptopLeaf(leafPort);
    const setup = runCli(["bridge", "setup", "--url", hub.url, "--leaf-domain", "laptop"]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`source OTTO_TRAY_LOCAL of leaf domain laptop in ${ESCALATIONS_STREAM}: created`);
    expect(runCli(["bridge", "setup", "--url", hub.url, "--leaf-domain", "laptop"]).stdout).toContain("of leaf domain laptop in OTTO_TRAY_ESCALATIONS: already there");

    const other = machine("mac-other", ["otto-cli"]);
    const laptop = machine("mac-laptop", ["otto-cli", "otto-desktop"]);
    await other.startBridge(hub.url, [], FAST_LEASE);
    await laptop.startBridge(leaf.url, ["--hub-domain", "hub"], FAST_LEASE);
    await laptop.waitForOutput(/connected to nats:\/\/127\.0\.0\.1:\d+ as mac-laptop \(a leaf node; the hub's JetStream domain hub\)/, "connected through the leaf");

    // (a) Each sees the other's surfaces through the hub.
    laptop.beat("otto-cli", { status: "working" });
    laptop.beat("otto-desktop", { status: "working" });
    other.beat("otto-cli", { status: "working" });
    await other.waitForRemote("mac-laptop", "otto-desktop", "working");
    await laptop.waitForRemote("mac-other", "otto-cli", "working");

    // (b) A quorum across the two: told once, on both buses.
    laptop.beat("otto-cli", { status: "idle", pid: process.pid });
    other.beat("otto-cli", { status: "idle", pid: process.pid });
    for (const m of [laptop, other]) await waitFor(() => quorumsOn(m).length === 1, `${m.host}: the quorum across machines`, { timeoutMs: 30_000, describe: () => m.output() });
    for (const m of [laptop, other]) expect(quorumsOn(m)[0]).toMatchObject({ scope: "machines", surfaces: ["mac-laptop.otto-cli", "mac-other.otto-cli"] });
    expect((await hubStream(hub.url)).messages).toBe(1);

    // (c) The hub goes down: the leaf stays up, so the laptop's bridge follows whether the hub's JetStream answers.
    await hub.stop();
    await laptop.waitForOutput(/the hub's JetStream \(domain hub\) does not answer through the leaf at nats:\/\/127\.0\.0\.1:\d+/, "the hub not answering");
    await waitFor(() => laptop.status()?.link === "reconnecting", "mac-laptop: reconnecting", { describe: () => JSON.stringify(laptop.status()) });
    // Cut off, the laptop tells a quorum of its own surfaces, marked local, and keeps it on the leaf for the hub.
    laptop.beat("otto-desktop", { status: "idle", pid: process.pid });
    const local = await waitFor(() => quorumsOn(laptop).find((q) => q.scope === "local"), "mac-laptop: a local quorum", { timeoutMs: 30_000, describe: () => laptop.output() });
    expect(local.surfaces).toEqual(["otto-cli", "otto-desktop"]);
    await laptop.waitForOutput(/quorum \S+ told while cut off \(mac-laptop\.otto-cli, mac-laptop\.otto-desktop\): kept on the leaf for the hub/, "the quorum kept on the leaf");

    // The hub comes back (same port and store): the laptop is connected again, and its quorum reaches the other machine once.
    const again = await hub.restart();
    await laptop.waitForOutput(/the hub's JetStream \(domain hub\) answers again through the leaf/, "the hub answering again", 60_000);
    await waitFor(() => laptop.status()?.link === "connected", "mac-laptop: connected", { describe: () => JSON.stringify(laptop.status()) });
    const arrived = await waitFor(() => quorumsOn(other).find((q) => q.scope === "local"), "mac-other: the laptop's quorum told while it was cut off", { timeoutMs: 60_000, describe: () => other.output() + laptop.output() });
    expect(arrived).toEqual(expect.objectContaining({ episodeId: local.episodeId, surfaces: ["mac-laptop.otto-cli", "mac-laptop.otto-desktop"] }));
    // Once both consumers have taken every message (the sourced one included), each bus holds what it should, once.
    const settled = async () => {
      const s = await hubStream(again.url);
      return s.messages === 2 && s.consumers.length === 2 && s.consumers.every((c) => c.delivered === 2 && c.pending === 0);
    };
    const deadline = Date.now() + 30_000;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error(`the hub's consumers did not settle: ${JSON.stringify(await hubStream(again.url))}\n${laptop.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(quorumsOn(other).filter((q) => q.scope === "local")).toHaveLength(1);
    expect(quorumsOn(other).filter((q) => q.scope === "machines")).toHaveLength(1);
    // The laptop's own quorum came back from the hub too, and was not written to its bus a second time.
    expect(quorumsOn(laptop).filter((q) => q.scope === "local")).toHaveLength(1);
    expect(quorumsOn(laptop)).toHaveLength(2);
    // The watch runs again behind the leaf: a change on the other machine reaches the laptop.
    other.beat("otto-cli", { status: "working" });
    await laptop.waitForRemote("mac-other", "otto-cli", "working");
    for (const m of [laptop, other]) await m.stopBridge();
    await leaf.stop();
    await again.stop();
  }, 180_000);

  it("a laptop's bridge started while the hub is away says so in one line and connects once the hub answers", async () => {
    const leafPort = await freePort();
    const leaf = await startLaptopLeaf(leafPort);
    const laptop = machine("mac-laptop", ["otto-cli"]);
    await laptop.startBridge(leaf.url, ["--hub-domain", "hub"]);
    await laptop.waitForOutput(/the hub's JetStream \(domain hub\) does not answer through the leaf at nats:\/\/127\.0\.0\.1:\d+/, "the hub not answering");
    expect(laptop.exitCode()).toBeNull();
    await waitFor(() => laptop.status()?.link === "reconnecting", "mac-laptop: reconnecting", { describe: () => JSON.stringify(laptop.status()) });
    const hub = await startHub(leafPort);
    await laptop.waitForOutput(/connected to nats:\/\/127\.0\.0\.1:\d+ as mac-laptop \(a leaf node/, "connected once the hub answers", 60_000);
    await waitFor(() => laptop.status()?.link === "connected", "mac-laptop: connected", { describe: () => JSON.stringify(laptop.status()) });
    await laptop.stopBridge();
    await leaf.stop();
    await hub.stop();
  }, 120_000);
});
