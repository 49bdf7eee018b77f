// The HTTP hook endpoint on a real socket: its refusals, the heartbeat it publishes (the command door's, byte for byte but the times), its bounds, and a PermissionRequest's wait ended by the client.
import { type ClientRequest, request } from "node:http";
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../test-support/free-port";
import { hookExample, hookExamples } from "../../../test-support/hook-examples";
import { actuatorDir } from "../../actuator/state/private-dir";
import { FIXTURES, runCli, runCliAsync } from "../../../test-support/cli";
import { eventually } from "../../../test-support/hosted-session";
import { http } from "../../../test-support/serve";
import { makeTempDir } from "../../../test-support/temp";
import type { HookLogRecord } from "../log";
import { HOOK_BODY_DRAIN_MAX_BYTES, HOOK_BODY_MAX_BYTES, HOOK_MAX_IN_FLIGHT, HOOK_REQUEST_TIMEOUT_MS, type HookEndpoint, HookPortTakenError, startHookEndpoint } from "./endpoint";
import { HOOK_TOKEN_HEADER } from "./hook-url";

const TOKEN = "a".repeat(64);
const REAL = join(FIXTURES, "claude-code-real");
const examples = hookExamples;
const example = hookExample;

/** The recorded PermissionRequest for `npm test` (a command the policy lets a plan allow), its cwd a real directory. */
function permissionRequest(project: string): string {
  const lines = readFileSync(join(REAL, "walk-hooks.jsonl"), "utf8").trim().split("\n");
  const event = lines.map((l) => (JSON.parse(l) as { stdin: Record<string, unknown> }).stdin).find((e) => e.hook_event_name === "PermissionRequest" && (e.tool_input as { command?: string }).command === "npm test");
  if (event === undefined) throw new Error("no PermissionRequest for npm test recorded");
  return JSON.stringify({ ...event, cwd: project });
}

interface Place {
  home: string;
  bus: string;
}

function place(): Place {
  const home = makeTempDir("otto-hook-endpoint-home-");
  const bus = makeTempDir("otto-hook-endpoint-bus-");
  chmodSync(bus, 0o700);
  return { home, bus };
}

type Envelope = { topic: string; from: string; payload: Record<string, unknown>; id?: string; timestamp?: string; expiresAt?: string };

function envelopes(bus: string): Envelope[] {
  return readdirSync(bus)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(bus, f), "utf8")) as Envelope);
}

/** An envelope without what differs between any two publications (its id and times). */
function timeless(envelope: Envelope): Envelope {
  const { id: _id, timestamp: _timestamp, expiresAt: _expiresAt, ...rest } = envelope;
  return rest;
}

const open: HookEndpoint[] = [];
const clients: ClientRequest[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const endpoint of open.splice(0)) await endpoint.close();
});

async function start(at: Place, extra: { pidOfSession?: (sessionId: string) => number | undefined; port?: number } = {}) {
  const logged: HookLogRecord[] = [];
  const endpoint = await startHookEndpoint({
    port: extra.port ?? 0,
    token: TOKEN,
    owner: "test",
    context: () => ({ homeDir: at.home, busDir: at.bus, prefs: undefined }),
    ...(extra.pidOfSession === undefined ? {} : { pidOfSession: extra.pidOfSession }),
    log: (record) => logged.push(record),
  });
  open.push(endpoint);
  return { endpoint, logged };
}

const post = (port: number, body: string, headers: Record<string, string> = { [HOOK_TOKEN_HEADER]: TOKEN }, path = "/hook?surface=otto-cli") =>
  http(port, "POST", path, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers }, body);

/** A POST whose answer is awaited separately and whose request can be closed (as Claude Code does on Esc). */
function openPost(port: number, body: string): { client: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  let client!: ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    client = request({ host: "127.0.0.1", port, method: "POST", path: "/hook?surface=otto-cli", headers: { "content-type": "application/json", [HOOK_TOKEN_HEADER]: TOKEN } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    client.on("error", reject);
    client.end(body);
  });
  // A closed request rejects its answer: that is the point of closing it.
  answer.catch(() => undefined);
  clients.push(client);
  return { client, answer };
}

/** PermissionRequests the actuator is waiting on (their records in the state directory). */
function waitingRequests(at: Place): number {
  try {
    return readdirSync(join(actuatorDir(at.home), "requests")).filter((name) => name.endsWith(".json")).length;
  } catch {
    return 0;
  }
}

/** The heartbeat the command door (the built `otto-tray hook`) publishes for `stdin`, on a bus of its own. */
function commandDoorHeartbeat(stdin: string, pid: number): Envelope[] {
  const at = place();
  const result = runCli(["hook", "--surface", "otto-cli", "--pid", String(pid), "--home", at.home, "--bus-dir", at.bus], { input: stdin });
  expect(result.code, result.stderr).toBe(0);
  return envelopes(at.bus).map(timeless);
}

describe("the hook endpoint's refusals", () => {
  it("answers 401 without the token or with a wrong one, and publishes nothing", async () => {
    const at = place();
    const { endpoint } = await start(at);
    const body = JSON.stringify(example("PreToolUse"));
    const missing = await post(endpoint.port, body, {});
    expect(missing.status).toBe(401);
    expect(missing.body).toContain(HOOK_TOKEN_HEADER);
    expect((await post(endpoint.port, body, { [HOOK_TOKEN_HEADER]: "b".repeat(64) })).status).toBe(401);
    expect((await post(endpoint.port, body, { [HOOK_TOKEN_HEADER]: TOKEN.slice(1) })).status).toBe(401);
    // The dashboard's way of presenting a token is not this endpoint's.
    expect((await post(endpoint.port, body, { Authorization: `Bearer ${TOKEN}` })).status).toBe(401);
    expect(envelopes(at.bus)).toEqual([]);
  });

  it.each([["../x"], ["A B"], [""], ["otto-cli/../../etc"], ["x".repeat(200)]])("answers 400 to the surface id %j and publishes nothing", async (surface) => {
    const at = place();
    const { endpoint } = await start(at);
    const answer = await post(endpoint.port, JSON.stringify(example("PreToolUse")), undefined, `/hook?surface=${encodeURIComponent(surface)}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("not a valid surface id");
    expect(envelopes(at.bus)).toEqual([]);
  });

  it("answers 400 to a POST naming no surface", async () => {
    const at = place();
    const { endpoint } = await start(at);
    expect((await post(endpoint.port, JSON.stringify(example("PreToolUse")), undefined, "/hook")).status).toBe(400);
    expect(envelopes(at.bus)).toEqual([]);
  });

  it("answers 405 with Allow: POST to a GET on /hook, and 404 elsewhere", async () => {
    const { endpoint } = await start(place());
    const get = await http(endpoint.port, "GET", "/hook?surface=otto-cli", { [HOOK_TOKEN_HEADER]: TOKEN });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
    expect((await http(endpoint.port, "GET", "/")).status).toBe(404);
    expect((await http(endpoint.port, "GET", "/api/snapshot")).status).toBe(404);
    expect((await post(endpoint.port, "{}", undefined, "/hook/other?surface=otto-cli")).status).toBe(404);
    // The health path answers GET only.
    expect((await post(endpoint.port, "{}", undefined, "/hook/health")).status).toBe(404);
  });

  it("GET /hook/health says whose endpoint it is, without a token", async () => {
    const { endpoint } = await start(place());
    const health = await http(endpoint.port, "GET", "/hook/health");
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ service: "otto-tray-hook-endpoint", owner: "test", pid: process.pid });
  });

  it("a second endpoint on a port already held is refused with HookPortTakenError", async () => {
    const port = await freePort();
    const { endpoint } = await start(place(), { port });
    expect(endpoint.port).toBe(port);
    await expect(start(place(), { port })).rejects.toBeInstanceOf(HookPortTakenError);
    // The first keeps answering.
    expect((await http(endpoint.port, "GET", "/hook/health")).status).toBe(200);
  });
});

describe("the hook endpoint's heartbeat", () => {
  it.each(Object.keys(examples).filter((key) => !key.startsWith("PermissionRequest")))("publishes for the recorded %s what the command door publishes, with the session's pid from the registry", async (key) => {
    const at = place();
    const stdin = JSON.stringify(example(key));
    const asked: string[] = [];
    const { endpoint } = await start(at, { pidOfSession: (sessionId) => (asked.push(sessionId), process.pid) });
    const answer = await post(endpoint.port, stdin);
    expect(answer).toMatchObject({ status: 200, body: "" });
    const published = envelopes(at.bus).map(timeless);
    expect(published).toEqual(commandDoorHeartbeat(stdin, process.pid));
    expect(asked).toEqual([example(key).session_id]);
    // Events the handler maps to no heartbeat (SubagentStart, PreCompact, …) publish nothing through either door.
    for (const envelope of published) expect(envelope.payload.pid).toBe(process.pid);
  });

  it("publishes no pid when the registry does not know the session", async () => {
    const at = place();
    const { endpoint } = await start(at, { pidOfSession: () => undefined });
    expect((await post(endpoint.port, JSON.stringify(example("PreToolUse")))).status).toBe(200);
    const [heartbeat] = envelopes(at.bus);
    expect(heartbeat?.payload).toMatchObject({ status: "working", note: "Bash" });
    expect(heartbeat?.payload).not.toHaveProperty("pid");
  });

  it("cuts a body over the cap and salvages its top-level fields, as the command door does, pid included", async () => {
    const at = place();
    // The recorded PreToolUse with a tool input far over the cap after its top-level fields.
    const event: Record<string, unknown> = { ...example("PreToolUse"), tool_input: { command: "echo big", description: "x".repeat(2 * HOOK_BODY_MAX_BYTES) } };
    const stdin = JSON.stringify(event);
    const { endpoint, logged } = await start(at, { pidOfSession: (sessionId) => (sessionId === event.session_id ? process.pid : undefined) });
    expect((await post(endpoint.port, stdin)).status).toBe(200);
    const published = envelopes(at.bus).map(timeless);
    expect(published).toEqual(commandDoorHeartbeat(stdin, process.pid));
    expect(published[0]?.payload).toMatchObject({ status: "working", event: "PreToolUse", sessionId: event.session_id, pid: process.pid });
    expect(logged.map((r) => r.message)).toContain("hook input over the size cap; used the fields in its head");
  });

  it("refuses a body declared over 16 times the cap with 413, publishing nothing", async () => {
    const at = place();
    const { endpoint } = await start(at);
    const answer = await http(endpoint.port, "POST", "/hook?surface=otto-cli", { [HOOK_TOKEN_HEADER]: TOKEN, "content-length": String(HOOK_BODY_MAX_BYTES * 16 + 1) });
    expect(answer.status).toBe(413);
    expect(envelopes(at.bus)).toEqual([]);
  });

  it("refuses a chunked body (no declared length) that goes on past the drain bound with 413, publishing nothing", async () => {
    const at = place();
    const { endpoint } = await start(at);
    // The answer is 413, unless the server's close reaches the client while it is still writing (a reset): both refuse.
    const outcome = await new Promise<number | "reset">((resolve, reject) => {
      const client = request({ host: "127.0.0.1", port: endpoint.port, path: "/hook?surface=otto-cli", method: "POST", headers: { [HOOK_TOKEN_HEADER]: TOKEN, "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      clients.push(client);
      client.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? resolve("reset") : reject(error)));
      client.on("close", () => resolve("reset"));
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent <= HOOK_BODY_DRAIN_MAX_BYTES + chunk.length && !client.destroyed) {
          sent += chunk.length;
          if (!client.write(chunk)) return void client.once("drain", pump);
        }
        if (!client.destroyed) client.end();
      };
      pump();
    });
    expect([413, "reset"]).toContain(outcome);
    expect(envelopes(at.bus)).toEqual([]);
  });
});

describe("a PermissionRequest with the safety switch on", () => {
  const switchOn = (at: Place) => expect(runCli(["actuator", "on", "--confirm", "--home", at.home, "--bus-dir", at.bus]).code).toBe(0);
  const planned = async (at: Place) => {
    let plan = runCli(["unstick", "plan", "--surface", "otto-cli", "--json", "--home", at.home, "--bus-dir", at.bus]);
    await eventually(() => {
      plan = runCli(["unstick", "plan", "--surface", "otto-cli", "--json", "--home", at.home, "--bus-dir", at.bus]);
      return plan.code === 0;
    }, "the waiting request to be planned");
    return JSON.parse(plan.stdout) as { planId: string; backend: string };
  };

  it("waits past the request's own time bound for a confirmed plan and answers the allow decision", async () => {
    const at = place();
    switchOn(at);
    const { endpoint } = await start(at, { pidOfSession: () => process.pid });
    const waiting = openPost(endpoint.port, permissionRequest(makeTempDir()));
    const plan = await planned(at);
    expect(plan.backend).toBe("hook");
    // Only receiving the request is bounded in time: the wait for the person's plan outlives that bound.
    await new Promise((resolve) => setTimeout(resolve, HOOK_REQUEST_TIMEOUT_MS + 1000));
    // Asynchronously: the endpoint runs in this process and must take the plan while confirm waits for it.
    const confirmed = await runCliAsync(["unstick", "confirm", plan.planId, "--json", "--home", at.home, "--bus-dir", at.bus]);
    expect(confirmed.code, confirmed.stderr + confirmed.stdout).toBe(0);
    const answer = await waiting.answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } });
  }, 60_000);

  it("ends the wait when the client closes the request (Esc) and publishes the dismissal's idle heartbeat", async () => {
    const at = place();
    switchOn(at);
    const { endpoint } = await start(at, { pidOfSession: () => process.pid });
    const waiting = openPost(endpoint.port, permissionRequest(makeTempDir()));
    await planned(at);
    expect(envelopes(at.bus).map((e) => e.payload.event)).not.toContain("PermissionDismissed");
    waiting.client.destroy();
    await eventually(() => envelopes(at.bus).some((e) => e.payload.event === "PermissionDismissed"), "the dismissal heartbeat");
    const dismissal = envelopes(at.bus).find((e) => e.payload.event === "PermissionDismissed");
    expect(dismissal).toMatchObject({ topic: "heartbeat", from: "otto-cli", payload: { status: "idle", note: "the person dismissed the permission dialog (Esc)", pid: process.pid } });
    // The request it waited on is gone: nothing is left to plan.
    await eventually(() => waitingRequests(at) === 0, "the pending request to be removed");
  });

  it(`answers 503 at once past ${HOOK_MAX_IN_FLIGHT} requests in flight, and takes requests again once they end`, async () => {
    const at = place();
    switchOn(at);
    const { endpoint } = await start(at);
    const body = permissionRequest(makeTempDir());
    const waiting = Array.from({ length: HOOK_MAX_IN_FLIGHT }, () => openPost(endpoint.port, body));
    await eventually(() => waitingRequests(at) === HOOK_MAX_IN_FLIGHT, `${HOOK_MAX_IN_FLIGHT} requests waiting`, 30_000);
    const refused = await post(endpoint.port, JSON.stringify(example("PreToolUse")));
    expect(refused.status).toBe(503);
    expect(refused.body).toContain(`${HOOK_MAX_IN_FLIGHT} hook events already in flight`);
    for (const { client } of waiting) client.destroy();
    await eventually(() => waitingRequests(at) === 0, "every wait to end");
    // The slots free as each handler returns (after its dismissal heartbeat): poll until one is taken.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await post(endpoint.port, JSON.stringify(example("PreToolUse")))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  }, 60_000);
});
