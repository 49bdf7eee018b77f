// `otto-tray bridge keys` and `bridge setup` with a real nats-server: each machine's seed may write only its own keys
// (a write to another machine's is refused and reported) and do no JetStream administration; the admin may.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, headers, type NatsConnection, nkeyAuthenticator, type Subscription } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { ESCALATIONS_STREAM } from "../../core/bridge/escalation-stream";
import { inboxPrefixOf } from "../../core/bridge/inbox-prefix";
import { openKv, SURFACES_BUCKET } from "../../core/bridge/nats-link";
import { Machine, stopAllBridges } from "../../test-support/bridge-machine";
import { runCli } from "../../test-support/cli";
import { startNatsServer, stopAllNatsServers } from "../../test-support/nats-server";
import { makeTempDir } from "../../test-support/temp";
import { waitFor } from "../../test-support/terminal";

afterAll(() => {
  stopAllBridges();
  stopAllNatsServers();
});

/** A short lease, so the quorum's publisher is found in seconds. */
const FAST_LEASE = { OTTO_TRAY_BRIDGE_LEASE_MS: "2000" };
const ANY_SEED = /S[UAO][A-Z2-7]{56}/;

/** Connects with a seed; a machine's seed with the inbox prefix its bridge uses (its user may read no other). */
function connectAs(url: string, seedFile: string, host?: string): Promise<NatsConnection> {
  const authenticator = nkeyAuthenticator(new TextEncoder().encode(readFileSync(seedFile, "utf8").trim()));
  return connect({ servers: url, authenticator, ...(host === undefined ? {} : { inboxPrefix: inboxPrefixOf(host) }) });
}

/** Subscribes to `subject`, collecting the subjects of what arrives; a subscription the server refuses is closed with its error. */
function collect(nc: NatsConnection, subject: string): { sub: Subscription; subjects: string[] } {
  const subjects: string[] = [];
  const sub = nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err === null) subjects.push(msg.subject);
    },
  });
  return { sub, subjects };
}

/** A machine watching one surface, so only the two machines together make a quorum of two. */
function machine(host: string): Machine {
  const m = new Machine(host);
  writeFileSync(join(m.home, "preferences.json"), JSON.stringify({ surfaces: ["otto-cli"], quorumCooldownSeconds: 0 }));
  return m;
}

function quorumsOn(m: Machine): { surfaces: string[] }[] {
  return readdirSync(m.bus)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(m.bus, name), "utf8")) as { topic: string; payload: { surfaces: string[] } })
    .filter((e) => e.topic === "standing-by-quorum")
    .map((e) => e.payload);
}

describe("otto-tray bridge keys and setup (real nats-server)", () => {
  it("gives each machine a user that writes only its own keys, refused and reported elsewhere; the admin sets up and administers the hub", async () => {
    const out = join(makeTempDir("otto-keys-"), "seeds");
    const keys = runCli(["bridge", "keys", "--hosts", "mac-a,mac-b", "--out", out]);
    expect(keys.code, keys.stderr).toBe(0);
    // Seeds in 0600 files of a 0700 directory; the printed block holds public keys only.
    expect(statSync(out).mode & 0o777).toBe(0o700);
    const seeds = Object.fromEntries(["mac-a", "mac-b", "admin"].map((name) => [name, join(out, `${name}.seed`)]));
    for (const file of Object.values(seeds)) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
      const seed = readFileSync(file, "utf8").trim();
      expect(seed).toMatch(/^SU[A-Z2-7]{56}$/);
      expect(keys.stdout).not.toContain(seed);
    }
    expect(keys.stdout).not.toMatch(ANY_SEED);
    expect(keys.stdout.match(/nkey: U[A-Z2-7]{55}/g)).toHaveLength(3);

    const hub = await startNatsServer({ config: keys.stdout });
    // A machine's user may not create the buckets: its bridge says so in one line and what to run.
    const early = machine("mac-a");
    await early.startBridge(hub.url, ["--creds", seeds["mac-a"] as string]);
    expect(await early.exited()).toBe(1);
    expect(early.output()).toMatch(/otto-tray bridge: the otto-tray-surfaces bucket does not exist and this user may not create it: run otto-tray bridge setup with the admin's credentials\n/);
    const notAdmin = runCli(["bridge", "setup", "--url", hub.url, "--creds", seeds["mac-a"] as string]);
    expect(notAdmin.code).toBe(1);
    // (It connects with the client's own inbox, which a machine's user may not read: refused before it asks anything.)
    expect(notAdmin.stderr).toMatch(/this user may not set up the hub \(Permissions Violation for Subscription to "_INBOX\.[^"]*"\); pass the admin's seed/);

    const setup = runCli(["bridge", "setup", "--url", hub.url, "--creds", seeds.admin as string]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toBe("bucket otto-tray-surfaces: created\nbucket otto-tray-episodes: created\nstream OTTO_TRAY_ESCALATIONS: created\n");
    expect(runCli(["bridge", "setup", "--url", hub.url, "--creds", seeds.admin as string]).stdout).toMatch(/^(.*: already there, left as it is\n){3}$/);

    // Two machines with their own users: each sees the other's surfaces, and one quorum across them is told.
    // (The two refusals above reach the server's log first; what the bridges do after is checked apart.)
    await waitFor(() => (hub.log().match(/(Publish|Subscription) Violation/g) ?? []).length === 2, "the server to log the two refusals", { timeoutMs: 10_000, describe: () => hub.log() });
    const logBefore = hub.log().length;
    const a = machine("mac-a");
    const b = machine("mac-b");
    await a.startBridge(hub.url, ["--creds", seeds["mac-a"] as string], FAST_LEASE);
    await b.startBridge(hub.url, ["--creds", seeds["mac-b"] as string], FAST_LEASE);
    a.beat("otto-cli", { status: "working" });
    b.beat("otto-cli", { status: "working" });
    await b.waitForRemote("mac-a", "otto-cli", "working");
    await a.waitForRemote("mac-b", "otto-cli", "working");
    await waitFor(() => [a, b].some((m) => m.output().includes("this machine now publishes the quorum across machines")), "one machine to hold the lease", { timeoutMs: 30_000, describe: () => a.output() + b.output() });
    a.beat("otto-cli", { status: "idle", pid: process.pid });
    b.beat("otto-cli", { status: "idle", pid: process.pid });
    for (const m of [a, b]) await waitFor(() => quorumsOn(m).length > 0, `${m.host}: the quorum on its bus`, { timeoutMs: 30_000, describe: () => m.output() });
    expect(quorumsOn(a)[0]?.surfaces).toEqual(["mac-a.otto-cli", "mac-b.otto-cli"]);
    // All of it within their permissions: nothing the bridges did was refused.
    expect(hub.log().slice(logBefore)).not.toMatch(/Violation/);
    for (const m of [a, b]) expect(m.output(), m.host).not.toMatch(/Violation|cannot run|stopped/);

    // mac-a's seed writing mac-b's key: refused by the server, reported to the client and in the server's log.
    const asA = await connectAs(hub.url, seeds["mac-a"] as string, "mac-a");
    const surfacesAsA = await new Kvm(asA).open("otto-tray-surfaces");
    await expect(surfacesAsA.put("mac-b.otto-cli", '{"forged":true}')).rejects.toThrow(/Permissions Violation for Publish to "\$KV\.otto-tray-surfaces\.mac-b\.otto-cli"/);
    await expect(surfacesAsA.delete("mac-b.otto-cli")).rejects.toThrow(/Permissions Violation/);
    await waitFor(() => /Publish Violation.*\$KV\.otto-tray-surfaces\.mac-b\.otto-cli/.test(hub.log()), "the server to report the violation", { timeoutMs: 10_000, describe: () => hub.log() });
    // Nor wipe every machine's keys through one of its own: the buckets refuse rollup headers.
    const rollup = headers();
    rollup.set("Nats-Rollup", "all");
    await expect(jetstream(asA).publish("$KV.otto-tray-surfaces.mac-a.otto-cli", "{}", { headers: rollup })).rejects.toThrow(/rollup not permitted/);
    await expect(jetstream(asA).publish("$KV.otto-tray-episodes.quorum", "{}", { headers: rollup })).rejects.toThrow(/rollup not permitted/);
    // No JetStream administration: streams and buckets are neither purged, deleted nor created, nor another's consumer removed.
    const jsmA = await jetstreamManager(asA);
    await expect(jsmA.streams.purge(ESCALATIONS_STREAM)).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.STREAM\.PURGE\.OTTO_TRAY_ESCALATIONS"/);
    await expect(jsmA.streams.delete("KV_otto-tray-surfaces")).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.STREAM\.DELETE\.KV_otto-tray-surfaces"/);
    await expect(jsmA.streams.delete(ESCALATIONS_STREAM)).rejects.toThrow(/Permissions Violation/);
    await expect(jsmA.streams.update(ESCALATIONS_STREAM, { max_msgs: 1 })).rejects.toThrow(/Permissions Violation/);
    await expect(jsmA.streams.add({ name: "KV_otto-tray-other", subjects: ["$KV.otto-tray-other.>"] })).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.STREAM\.CREATE\.KV_otto-tray-other"/);
    await expect(jsmA.consumers.delete(ESCALATIONS_STREAM, "otto-tray-mac-b")).rejects.toThrow(/Permissions Violation/);
    await asA.close();

    // mac-b's record is untouched; the stream holds the one quorum; the admin may purge and delete.
    const asAdmin = await connectAs(hub.url, seeds.admin as string);
    const surfaces = await new Kvm(asAdmin).open("otto-tray-surfaces");
    expect((await surfaces.get("mac-b.otto-cli"))?.string()).not.toContain("forged");
    const jsm = await jetstreamManager(asAdmin);
    expect((await jsm.streams.info(ESCALATIONS_STREAM)).state.messages).toBe(1);
    for (const m of [a, b]) await m.stopBridge();
    await jsm.streams.purge(ESCALATIONS_STREAM);
    expect((await jsm.streams.info(ESCALATIONS_STREAM)).state.messages).toBe(0);
    expect(await jsm.streams.delete("KV_otto-tray-episodes")).toBe(true);
    await asAdmin.close();
    await hub.stop();
  });

  it("a machine's user reads replies only at its own inbox prefix: another machine's replies and _INBOX.> are refused by the server", async () => {
    const out = join(makeTempDir("otto-keys-"), "seeds");
    const keys = runCli(["bridge", "keys", "--hosts", "mac-a,mac-b", "--out", out]);
    expect(keys.code, keys.stderr).toBe(0);
    const seed = (name: string) => join(out, `${name}.seed`);
    const hub = await startNatsServer({ config: keys.stdout });
    expect(runCli(["bridge", "setup", "--url", hub.url, "--creds", seed("admin")]).code).toBe(0);
    const b = machine("mac-b");
    await b.startBridge(hub.url, ["--creds", seed("mac-b")], FAST_LEASE);
    await b.waitForOutput(/connected to .* as mac-b/, "connected");

    // mac-b's bridge gets its replies (JetStream's answers, its watch's deliveries) under _INBOX_mac-b: the admin,
    // who may read everything, sees them there when mac-b's surface changes.
    const asAdmin = await connectAs(hub.url, seed("admin"));
    const seenByAdmin = collect(asAdmin, "_INBOX_mac-b.>").subjects;
    await asAdmin.flush();
    b.beat("otto-cli", { status: "working" });
    await waitFor(() => seenByAdmin.length > 0, "a reply to mac-b's bridge under _INBOX_mac-b", { timeoutMs: 20_000, describe: () => b.output() });

    // mac-a's user may not read there, nor under any other machine's or the client's default prefix.
    const asA = await connectAs(hub.url, seed("mac-a"), "mac-a");
    for (const subject of ["_INBOX_mac-b.>", "_INBOX.>", ">", "_INBOX_mac-b.*.*"]) {
      const { sub, subjects: read } = collect(asA, subject);
      // The server answers a SUB it refuses before the PONG of this flush.
      await asA.flush();
      expect(sub.isClosed(), `mac-a subscribing to ${subject} is refused`).toBe(true);
      expect(String(await sub.closed)).toMatch(new RegExp(`Permissions Violation for Subscription to "${subject.replace(/[.*>]/g, "\\$&")}"`));
      expect(read).toEqual([]);
    }
    await waitFor(() => /Subscription Violation.*_INBOX_mac-b\.>/.test(hub.log()), "the server to log the refusal", { timeoutMs: 10_000, describe: () => hub.log() });
    // Its own prefix it may read: what arrives there reaches it.
    const { sub: ownSub, subjects: own } = collect(asA, "_INBOX_mac-a.>");
    await asA.flush();
    expect(ownSub.isClosed()).toBe(false);
    asAdmin.publish("_INBOX_mac-a.probe", "to mac-a");
    await waitFor(() => own.includes("_INBOX_mac-a.probe"), "mac-a to read its own inbox", { timeoutMs: 10_000 });
    // And JetStream answers it there: it reads mac-b's surface as its bridge does.
    expect((await (await openKv(asA, SURFACES_BUCKET)).get("mac-b.otto-cli"))?.string()).toContain("working");
    await asA.close();
    // mac-b's bridge worked on throughout.
    expect(b.output()).not.toMatch(/Violation|cannot run|stopped/);
    await b.stopBridge();
    await asAdmin.close();
    await hub.stop();
  });

  it("a machine whose stream is missing keeps its surfaces linked and says in one line that the admin's setup is needed", async () => {
    const out = join(makeTempDir("otto-keys-"), "seeds");
    const keys = runCli(["bridge", "keys", "--hosts", "mac-a", "--out", out]);
    const hub = await startNatsServer({ config: keys.stdout });
    const admin = join(out, "admin.seed");
    expect(runCli(["bridge", "setup", "--url", hub.url, "--creds", admin]).code).toBe(0);
    const asAdmin = await connectAs(hub.url, admin);
    await (await jetstreamManager(asAdmin)).streams.delete(ESCALATIONS_STREAM);
    await asAdmin.close();
    const a = machine("mac-a");
    await a.startBridge(hub.url, ["--creds", join(out, "mac-a.seed")], FAST_LEASE);
    await a.waitForOutput(/connected to .* as mac-a/, "connected");
    await a.waitForOutput(
      /the quorum across machines cannot run: the OTTO_TRAY_ESCALATIONS stream does not exist and this user may not create it: run otto-tray bridge setup with the admin's credentials; quorums stay local\n/,
      "the one line naming the missing stream",
    );
    expect(a.exitCode()).toBeNull();
    await a.stopBridge();
    expect(runCli(["bridge", "setup", "--url", hub.url, "--creds", admin]).stdout).toContain("stream OTTO_TRAY_ESCALATIONS: created\n");
    await hub.stop();
  });

  it("refuses host ids outside the surface-id pattern, the admin's name, and an existing seed without --force", () => {
    const out = join(makeTempDir("otto-keys-"), "seeds");
    for (const hosts of ["Mac_A,mac-b", "mac-a,", "mac.local", "admin", "mac-a,mac-a"]) {
      const bad = runCli(["bridge", "keys", "--hosts", hosts, "--out", out]);
      expect(bad.code, hosts).toBe(2);
      expect(bad.stderr, hosts).toMatch(/otto-tray bridge keys: --hosts: /);
      expect(existsSync(out), hosts).toBe(false);
    }
    expect(runCli(["bridge", "keys", "--hosts", "mac-a", "--out", out]).code).toBe(0);
    const before = readFileSync(join(out, "mac-a.seed"), "utf8");
    const again = runCli(["bridge", "keys", "--hosts", "mac-b,mac-a", "--out", out]);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/mac-a\.seed, .*admin\.seed already exist: not overwritten[\s\S]*hint: pass --force/);
    // Nothing written when refused: not even the new machine's seed.
    expect(existsSync(join(out, "mac-b.seed"))).toBe(false);
    expect(readFileSync(join(out, "mac-a.seed"), "utf8")).toBe(before);
    const forced = runCli(["bridge", "keys", "--hosts", "mac-b,mac-a", "--out", out, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(out, "mac-a.seed"), "utf8")).not.toBe(before);
    expect(statSync(join(out, "mac-a.seed")).mode & 0o777).toBe(0o600);
  });
  it("under a hub configuration written before per-host inboxes (subscribe _INBOX.>), a bridge says in one line what to change and exits", async () => {
    const out = join(makeTempDir("otto-keys-old-"), "seeds");
    const keys = runCli(["bridge", "keys", "--hosts", "mac-a", "--out", out]);
    expect(keys.code, keys.stderr).toBe(0);
    // As an older `bridge keys` printed it.
    const older = keys.stdout.replaceAll(`"${inboxPrefixOf("mac-a")}.>"`, '"_INBOX.>"');
    expect(older).not.toBe(keys.stdout);
    const hub = await startNatsServer({ config: older });
    expect(runCli(["bridge", "setup", "--url", hub.url, "--creds", join(out, "admin.seed")]).code).toBe(0);
    const a = machine("mac-a");
    await a.startBridge(hub.url, ["--creds", join(out, "mac-a.seed")]);
    expect(await a.exited()).toBe(1);
    expect(a.output()).toMatch(/refuses this machine's replies at _INBOX_mac-a\.> \(.*\): its permission list predates per-host inboxes; run otto-tray bridge keys again/);
  });
});
