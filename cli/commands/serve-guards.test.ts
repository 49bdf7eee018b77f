// `otto-tray serve`'s guards over real HTTP: no token in a cookie, changing calls only by POST, bounded bodies and streams.
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { API, type ApiName } from "../../core/api";
import { makeBus } from "../../test-support/bus";
import { http, type ServeProcess, startServe, stopAllServes } from "../../test-support/serve";
import { MAX_STREAMS, STREAM_QUEUE_CAP_BYTES } from "../serve/stream-limits";

afterAll(stopAllServes);

async function served(): Promise<{ serve: ServeProcess; auth: Record<string, string> }> {
  const { bus, home } = makeBus();
  const serve = await startServe(["--home", home, "--bus-dir", bus], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" });
  return { serve, auth: { Authorization: `Bearer ${serve.token}` } };
}

const JSON_TYPE = { "Content-Type": "application/json" };

/** The snapshot without what changes on every tick, to compare the state before and after. */
async function stateOf(serve: ServeProcess, auth: Record<string, string>): Promise<unknown> {
  const snapshot = API.snapshot.result.parse((await http(serve.port, "GET", "/api/snapshot", auth)).json());
  return { actuator: snapshot.actuator, audit: snapshot.audit, pausedSince: snapshot.pausedSince, hooks: snapshot.hooks };
}

interface Diagnostics {
  bounds: Record<string, { highWater: number; bound: number; limited: number }>;
  streams: { open: number; cap: number };
  openFiles: number | null;
}

async function diagnostics(serve: ServeProcess, auth: Record<string, string>): Promise<Diagnostics> {
  const result = await http(serve.port, "GET", "/api/diagnostics", auth);
  expect(result.status, result.body).toBe(200);
  return result.json() as Diagnostics;
}

/** A raw socket asking for the event stream that never reads what comes back (its receive window fills and closes). */
function stalledStream(serve: ServeProcess): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(serve.port, "127.0.0.1", () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nAuthorization: Bearer ${serve.token}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** An event stream read to its status line and headers; resolves with the status and the open request's destroy. */
function openStream(serve: ServeProcess): Promise<{ status: number; body: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(serve.port, "127.0.0.1", () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nAuthorization: Bearer ${serve.token}\r\n\r\n`);
    });
    let text = "";
    let done = false;
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      text += d;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!done && status !== null && text.includes("\r\n\r\n")) {
        done = true;
        resolve({ status: Number(status[1]), body: () => text.slice(text.indexOf("\r\n\r\n") + 4), close: () => socket.destroy() });
      }
    });
    socket.on("error", (error) => (done ? undefined : reject(error)));
  });
}

const CHANGING: ApiName[] = ["actuatorOn", "actuatorOff", "autoOn", "autoOff", "unstickPlan", "unstickConfirm", "doctor", "hooksInstall", "prefsSet", "prefsCheck", "setPaused"];

describe("otto-tray serve's guards", () => {
  it("never puts the token in a cookie, and refuses a cookie or a query string as the token", async () => {
    const { serve, auth } = await served();
    expect(serve.firstLine).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    for (const path of ["/", `/?token=${serve.token}`, "/index.html"]) {
      const page = await http(serve.port, "GET", path);
      expect(page.headers["set-cookie"], path).toBeUndefined();
    }
    expect((await http(serve.port, "GET", "/api/snapshot", auth)).headers["set-cookie"]).toBeUndefined();
    // A browser sends a host's cookies to every port of it: a cookie must never be taken for the token.
    expect((await http(serve.port, "GET", "/api/snapshot", { Cookie: `otto_tray_token=${serve.token}` })).status).toBe(401);
    const before = await stateOf(serve, auth);
    expect((await http(serve.port, "POST", "/api/actuatorOn", { Cookie: `otto_tray_token=${serve.token}`, ...JSON_TYPE }, '{"confirm":true}')).status).toBe(401);
    expect((await http(serve.port, "GET", `/api/snapshot?token=${serve.token}`)).status).toBe(401);
    expect(await stateOf(serve, auth)).toEqual(before);
    await serve.stop();
  });

  it("refuses GET on every call that changes something with 405 and Allow: POST, and nothing changes", async () => {
    const { serve, auth } = await served();
    for (const name of Object.keys(API) as ApiName[]) expect(API[name].changes, name).toBe(CHANGING.includes(name));
    const on = await http(serve.port, "POST", "/api/actuatorOn", { ...auth, ...JSON_TYPE }, '{"confirm":true}');
    expect(on.status).toBe(200);
    const before = await stateOf(serve, auth);
    for (const name of CHANGING) {
      const result = await http(serve.port, "GET", `/api/${name}`, auth);
      expect(result.status, name).toBe(405);
      expect(result.headers.allow, name).toBe("POST");
      expect(result.headers["content-type"], name).toMatch(/^application\/json/);
      expect((result.json() as { error: string }).error, name).toMatch(/POST/);
    }
    expect(await stateOf(serve, auth)).toEqual(before);
    expect((before as { actuator: { on: boolean } }).actuator.on).toBe(true);
    // Calls that only read still answer GET.
    for (const name of ["snapshot", "paths", "actuatorStatus", "poolStatus", "hooksStatus", "prefsGet", "diagnostics"]) {
      expect((await http(serve.port, "GET", `/api/${name}`, auth)).status, name).toBe(200);
    }
    await serve.stop();
  });

  it("refuses a POST without the token header and a cross-site form's POST, changing nothing", async () => {
    const { serve, auth } = await served();
    const before = await stateOf(serve, auth);
    expect((await http(serve.port, "POST", "/api/actuatorOn", JSON_TYPE, '{"confirm":true}')).status).toBe(401);
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
      expect((await http(serve.port, "POST", "/api/actuatorOn", { ...auth, "Content-Type": type }, '{"confirm":true}')).status, type).toBe(415);
      const form = await http(serve.port, "POST", "/api/actuatorOn", { "Content-Type": type, Origin: "http://evil.example" }, '{"confirm":true}');
      expect(form.status, type).toBe(403);
    }
    expect(await stateOf(serve, auth)).toEqual(before);
    await serve.stop();
  });

  it("answers a body over the limit with 413 as JSON, and keeps serving", async () => {
    const { serve, auth } = await served();
    const big = JSON.stringify({ prefs: { note: "x".repeat(300 * 1024) } });
    const result = await http(serve.port, "POST", "/api/prefsSet", { ...auth, ...JSON_TYPE }, big);
    expect(result.status).toBe(413);
    expect((result.json() as { error: string }).error).toMatch(/larger than/);
    expect((await http(serve.port, "GET", "/api/snapshot", auth)).status).toBe(200);
    await serve.stop();
  });

  it("answers a malformed percent-escape with 400, not 500", async () => {
    const { serve, auth } = await served();
    for (const path of ["/%E0%A4%A", "/assets/%zz.js"]) expect((await http(serve.port, "GET", path)).status, path).toBe(400);
    const api = await http(serve.port, "GET", "/api/%zz", auth);
    expect(api.status).toBe(400);
    expect((api.json() as { error: string }).error).toMatch(/escape/);
    await serve.stop();
  });

  it("holds at most its cap for an event stream that never reads, keeping only the latest snapshot", async () => {
    const { serve, auth } = await served();
    const stalled = await stalledStream(serve);
    let reading = (await diagnostics(serve, auth)).bounds["serve.stream.queuedBytes"];
    // Push changed snapshots until the server has had to coalesce for the stalled client (its window is full).
    for (let i = 0; i < 20_000 && (reading?.limited ?? 0) === 0; i++) {
      await http(serve.port, "POST", i % 2 === 0 ? "/api/actuatorOn" : "/api/actuatorOff", { ...auth, ...JSON_TYPE }, i % 2 === 0 ? '{"confirm":true}' : "{}");
      if (i % 20 === 19) reading = (await diagnostics(serve, auth)).bounds["serve.stream.queuedBytes"];
    }
    const final = await diagnostics(serve, auth);
    reading = final.bounds["serve.stream.queuedBytes"];
    expect(reading?.limited).toBeGreaterThan(0);
    expect(reading?.bound).toBe(STREAM_QUEUE_CAP_BYTES);
    expect(reading?.highWater).toBeLessThanOrEqual(STREAM_QUEUE_CAP_BYTES);
    expect(final.streams).toEqual({ open: 1, cap: MAX_STREAMS });
    expect(typeof final.openFiles).toBe(process.platform === "linux" ? "number" : "object");
    // When the client reads again it catches up to the latest snapshot (the one kept back), not an older one.
    const latest = (await http(serve.port, "GET", "/api/actuatorStatus", auth)).json() as { on: boolean; since: string | null };
    let text = "";
    stalled.setEncoding("utf8");
    stalled.on("data", (d: string) => (text += d));
    stalled.resume();
    const caughtUp = () => {
      // Each write is one chunk holding whole frames, so a frame's data line is never cut by a chunk header.
      const frames = [...text.matchAll(/^data: (.*)$/gm)].map((m) => API.snapshot.result.parse(JSON.parse(m[1] ?? "")));
      const last = frames.at(-1)?.actuator;
      return last?.on === latest.on && last.since === latest.since;
    };
    for (let i = 0; i < 600 && !caughtUp(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(caughtUp()).toBe(true);
    stalled.destroy();
    await serve.stop();
    // Pushing enough to fill the kernel's buffers takes a while on a loaded machine: the loop above has its own bound.
  }, 180_000);

  it("refuses event streams over the cap with 503 as JSON, and takes one again when one closes", async () => {
    const { serve, auth } = await served();
    const open = [];
    for (let i = 0; i < MAX_STREAMS; i++) {
      const stream = await openStream(serve);
      expect(stream.status).toBe(200);
      open.push(stream);
    }
    const over = await http(serve.port, "GET", "/api/events", auth);
    expect(over.status).toBe(503);
    expect((over.json() as { error: string }).error).toMatch(/streams/);
    open.pop()?.close();
    let again = 503;
    for (let i = 0; i < 100 && again === 503; i++) {
      again = (await diagnostics(serve, auth)).streams.open < MAX_STREAMS ? 200 : 503;
      if (again === 503) await new Promise((r) => setTimeout(r, 50));
    }
    const next = await openStream(serve);
    expect(next.status).toBe(200);
    next.close();
    for (const stream of open) stream.close();
    await serve.stop();
  });
});
