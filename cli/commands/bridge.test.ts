// `otto-tray bridge` between simulated machines (own bus, state directory, bridge process and host name) through a
// real nats-server with JetStream on loopback: what crosses, what never does, outages, and every refusal in one line.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Machine, stopAllBridges } from "../../test-support/bridge-machine";
import { runCli } from "../../test-support/cli";
import { freePort } from "../../test-support/free-port";
import { type NatsServer, startNatsServer, stopAllNatsServers } from "../../test-support/nats-server";
import { makeTempDir } from "../../test-support/temp";

afterAll(() => {
  stopAllBridges();
  stopAllNatsServers();
});

/** Every value in the surfaces bucket, as text: what left the machines. */
async function bucketText(url: string): Promise<string> {
  const nc = await connect({ servers: url });
  try {
    const kv = await new Kvm(nc).open("otto-tray-surfaces");
    const texts: string[] = [];
    for await (const key of await kv.keys()) texts.push(`${key} ${(await kv.get(key))?.string() ?? ""}`);
    return texts.join("\n");
  } finally {
    await nc.close();
  }
}

describe("otto-tray bridge (real nats-server)", () => {
  let hub: NatsServer;
  beforeAll(async () => {
    hub = await startNatsServer();
  });

  it("shows each machine the other's surfaces; what a surface waits on crosses only as its kind unless details are shared", async () => {
    const a = new Machine("mac-a");
    const b = new Machine("mac-b");
    await a.startBridge(hub.url);
    await b.startBridge(hub.url);
    await a.waitForOutput(/connected to nats:\/\/127\.0\.0\.1:\d+ as mac-a/, "connected");
    a.beat("otto-cli", { status: "working", note: "refactoring the billing module", waiting: "permission for Bash: rm -rf build" });
    await b.waitForRemote("mac-a", "otto-cli", "waiting");
    const seen = b.status()?.remote.find((h) => h.host === "mac-a");
    expect(seen?.link).toBe("connected");
    expect(seen?.surfaces.find((s) => s.surface === "otto-cli")).toMatchObject({ waitingKind: "permission for Bash" });
    expect(seen?.surfaces.find((s) => s.surface === "otto-cli")?.details).toBeUndefined();
    // B's own surfaces reach A too; neither lists itself as remote.
    b.beat("otto-desktop", { status: "idle" });
    await a.waitForRemote("mac-b", "otto-desktop", "idle");
    expect(a.status()?.remote.map((h) => h.host)).toEqual(["mac-b"]);
    // Nothing in the bucket says what the command or the note was.
    const text = await bucketText(hub.url);
    expect(text).toContain("mac-a.otto-cli");
    expect(text).not.toMatch(/rm -rf|billing/);
    // The one-shot status shows A under remote, apart from B's own surfaces (ids repeat across machines).
    const json = JSON.parse(runCli(["status", "--json", "--bus-dir", b.bus, "--home", b.home]).stdout) as { surfaces: { id: string; state: string }[]; bridge: { running: boolean; host: string; link: string }; remote: { host: string; surfaces: { surface: string; state: string }[] }[] };
    expect(json.bridge).toMatchObject({ running: true, host: "mac-b", link: "connected" });
    expect(json.remote.find((h) => h.host === "mac-a")?.surfaces.find((x) => x.surface === "otto-cli")?.state).toBe("waiting");
    expect(json.surfaces.find((x) => x.id === "otto-cli")?.state).not.toBe("waiting");
    expect(runCli(["status", "--bus-dir", b.bus, "--home", b.home]).stdout).toMatch(/bridge: mac-b → nats:\/\/127\.0\.0\.1:\d+, connected\n {2}mac-a \(connected\): otto-cli waiting \(permission for Bash\), /);
    // Nothing that came over NATS was written to a local bus: nothing on B's bus names A.
    for (const name of readdirSync(b.bus)) expect(readFileSync(join(b.bus, name), "utf8"), name).not.toContain("mac-a");

    // Shared on purpose: the texts go too.
    await a.stopBridge();
    await a.startBridge(hub.url, ["--share-details"]);
    a.beat("otto-cli", { status: "working", note: "refactoring the billing module", waiting: "permission for Bash: rm -rf build" });
    await waitForText(hub.url, /rm -rf build/);
    await a.stopBridge();
    await b.stopBridge();
    const stopped = runCli(["status", "--json", "--bus-dir", b.bus, "--home", b.home]);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ bridge: { running: false }, remote: [] });
    expect(runCli(["status", "--bus-dir", b.bus, "--home", b.home]).stdout).toContain("bridge: not running");
  });

  it("keeps working through a hub outage: remote surfaces show reconnecting, and a change made meanwhile arrives after it", async () => {
    const server = await startNatsServer();
    const a = new Machine("laptop");
    const b = new Machine("build-box");
    await a.startBridge(server.url);
    await b.startBridge(server.url);
    a.beat("otto-cli", { status: "working" });
    await b.waitForRemote("laptop", "otto-cli", "working");
    await server.stop();
    await b.waitForOutput(/lost nats:\/\/127\.0\.0\.1:\d+; reconnecting/, "lost");
    await waitForValue(() => b.status()?.remote.find((h) => h.host === "laptop")?.link === "reconnecting", "laptop shown reconnecting");
    // Local work goes on while the hub is away; the change waits for the link, not for the person.
    a.beat("otto-cli", { status: "idle" });
    expect(runCli(["status", "--json", "--bus-dir", a.bus, "--home", a.home]).code).toBe(0);
    const again = await server.restart();
    await a.waitForOutput(/reconnected to nats:\/\/127\.0\.0\.1:\d+; re-publishing/, "reconnected");
    await b.waitForRemote("laptop", "otto-cli", "idle");
    expect(b.status()?.remote.find((h) => h.host === "laptop")?.link).toBe("connected");
    await a.stopBridge();
    await b.stopBridge();
    await again.stop();
  });

  it("an unreachable URL is said once and the bridge keeps trying; it joins when the server comes up there", async () => {
    const port = await freePort();
    const a = new Machine("mac-late");
    await a.startBridge(`nats://127.0.0.1:${port}`);
    await a.waitForOutput(/cannot reach nats:\/\/127\.0\.0\.1:\d+: .*; trying again every second \(the local bus works as before\)/, "cannot reach");
    expect(a.exitCode()).toBeNull();
    expect(a.status()?.link).toBe("reconnecting");
    const late = await startNatsServer({ port });
    await a.waitForOutput(/connected to nats:\/\/127\.0\.0\.1:\d+ as mac-late/, "connected once the server is up");
    await a.stopBridge();
    await late.stop();
  });

  it("refused credentials and a server without JetStream end the bridge with one line each (exit 1)", async () => {
    const guarded = await startNatsServer({ config: "authorization { user: hub, password: right }" });
    const creds = join(makeTempDir("otto-creds-"), "bridge.json");
    writeFileSync(creds, '{"user":"hub","password":"wrong"}', { mode: 0o600 });
    const a = new Machine("mac-a");
    await a.startBridge(guarded.url, ["--creds", creds]);
    expect(await a.exited()).toBe(1);
    expect(a.output()).toMatch(/otto-tray bridge: nats:\/\/127\.0\.0\.1:\d+ refused the credentials \(Authorization Violation\): check the --creds file/);
    writeFileSync(creds, '{"user":"hub","password":"right"}', { mode: 0o600 });
    await a.startBridge(guarded.url, ["--creds", creds]);
    await a.waitForOutput(/connected to .* as mac-a/, "connected with the right password");
    await a.stopBridge();

    const plain = await startNatsServer({ jetstream: false });
    const b = new Machine("mac-b");
    await b.startBridge(plain.url);
    expect(await b.exited()).toBe(1);
    expect(b.output()).toMatch(/otto-tray bridge: nats:\/\/127\.0\.0\.1:\d+ has no JetStream: start nats-server with -js/);
    await guarded.stop();
    await plain.stop();
  });

  it("refuses credentials on the command line or readable by others, and a second bridge on one state directory", async () => {
    const a = new Machine("mac-a");
    const inUrl = runCli(["bridge", "--url", "nats://me:secret@127.0.0.1:4222", "--home", a.home]);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toMatch(/credentials do not belong in the URL/);
    expect(inUrl.stderr).not.toContain("secret");
    const creds = join(makeTempDir("otto-creds-"), "seed");
    writeFileSync(creds, `SU${"A".repeat(56)}\n`, { mode: 0o644 });
    const open = runCli(["bridge", "--url", hub.url, "--creds", creds, "--home", a.home]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/can be read by others \(mode 644\)[\s\S]*chmod 600/);
    await a.startBridge(hub.url);
    await a.waitForOutput(/connected to/, "connected");
    const second = runCli(["bridge", "--url", hub.url, "--host", "other", "--bus-dir", a.bus, "--home", a.home]);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/a bridge already runs for .* \(pid \d+\)/);
    await a.stopBridge();
  });

  it("ignores and counts records another machine wrote wrong, naming the first ones", async () => {
    const a = new Machine("mac-a");
    await a.startBridge(hub.url);
    await a.waitForOutput(/connected to/, "connected");
    const nc = await connect({ servers: hub.url });
    const kv = await new Kvm(nc).open("otto-tray-surfaces");
    await kv.put("evil.otto-cli", "{not json");
    await kv.put("evil.otto-desktop", JSON.stringify({ v: 1, host: "other", surface: "otto-desktop", state: "idle", lastHeartbeatAt: null, idleSince: null, waitingKind: null, publishedAt: new Date().toISOString() }));
    await kv.put("evil.otto-launchd", JSON.stringify({ v: 1, host: "evil", surface: "otto-launchd", state: "pressing-keys", lastHeartbeatAt: null, idleSince: null, waitingKind: null, publishedAt: new Date().toISOString() }));
    await nc.close();
    await a.waitForOutput(/ignored a record from the hub: evil\.otto-cli: not JSON/, "the malformed record named");
    await a.waitForOutput(/ignored a record from the hub: evil\.otto-desktop: the record says it is other\.otto-desktop/, "the mislabelled record named");
    await a.waitForOutput(/ignored a record from the hub: evil\.otto-launchd: state/, "the unknown state named");
    await waitForValue(() => (a.status()?.refusedRecords ?? 0) >= 3, "three refused records counted");
    expect(a.status()?.remote.some((h) => h.host === "evil" || h.host === "other")).toBe(false);
    await a.stopBridge();
  });
});

async function waitForValue(check: () => boolean, what: string): Promise<void> {
  const { waitFor } = await import("../../test-support/terminal");
  await waitFor(() => check(), what, { timeoutMs: 30_000 });
}

async function waitForText(url: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (pattern.test(await bucketText(url))) return;
    if (Date.now() > deadline) throw new Error(`the bucket never held ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
