// `otto-tray serve` over real HTTP: the printed URL, the token, Host and Origin checks, payload validation, pushed updates.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { API } from "../../core/api";
import { shellQuote } from "../../core/hooks/settings";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { REPO_ROOT } from "../../test-support/cli";
import { http, startServe, stopAllServes } from "../../test-support/serve";
import { makeTempDir } from "../../test-support/temp";

afterAll(stopAllServes);

async function served() {
  const { bus, home } = makeBus();
  const serve = await startServe(["--home", home, "--bus-dir", bus], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" });
  return { bus, home, serve, auth: { Authorization: `Bearer ${serve.token}` } };
}

const post = (port: number, name: string, auth: Record<string, string>, body: string) =>
  http(port, "POST", `/api/${name}`, { ...auth, "Content-Type": "application/json" }, body);

describe("otto-tray serve", () => {
  it("prints the dashboard URL with its token as the first line and serves the snapshot to a Bearer token", async () => {
    const { serve, auth } = await served();
    expect(serve.firstLine).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const result = await http(serve.port, "GET", "/api/snapshot", auth);
    expect(result.status).toBe(200);
    expect(API.snapshot.result.safeParse(result.json()).success).toBe(true);
    await serve.stop();
  });

  it("refuses a missing or wrong token on the API, and serves the page (which holds no secret) without one", async () => {
    const { serve } = await served();
    expect((await http(serve.port, "GET", "/api/snapshot")).status).toBe(401);
    expect((await http(serve.port, "GET", "/api/snapshot", { Authorization: "Bearer wrong" })).status).toBe(401);
    expect((await http(serve.port, "GET", "/api/snapshot", { Authorization: `Bearer ${serve.token}x` })).status).toBe(401);
    expect((await http(serve.port, "GET", "/api/events")).status).toBe(401);
    const page = await http(serve.port, "GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers["set-cookie"]).toBeUndefined();
    expect(page.body).not.toContain(serve.token);
    await serve.stop();
  });

  it("refuses a foreign Host and a foreign Origin even with the right token", async () => {
    const { serve, auth } = await served();
    const host = await http(serve.port, "GET", "/api/snapshot", { ...auth, Host: `evil.example:${serve.port}` });
    expect(host.status).toBe(403);
    expect(host.body).toMatch(/Host/);
    const origin = await http(serve.port, "GET", "/api/snapshot", { ...auth, Origin: "http://evil.example" });
    expect(origin.status).toBe(403);
    expect(origin.body).toMatch(/Origin/);
    const otherPort = await http(serve.port, "POST", "/api/actuatorOff", { ...auth, Origin: `http://127.0.0.1:${serve.port + 1}`, "Content-Type": "application/json" }, "{}");
    expect(otherPort.status).toBe(403);
    const own = await http(serve.port, "GET", "/api/snapshot", { ...auth, Origin: `http://127.0.0.1:${serve.port}` });
    expect(own.status).toBe(200);
    await serve.stop();
  });

  it("answers every malformed payload with 400 naming the field, and keeps serving", async () => {
    const { serve, auth } = await served();
    const cases: [string, string, string][] = [
      ["unstickPlan", '{"surface":"../etc"}', "surface"],
      ["unstickPlan", "{}", "surface"],
      ["unstickConfirm", '{"planId":42}', "planId"],
      ["actuatorOn", "{}", "confirm"],
      ["actuatorOn", '{"confirm":"yes"}', "confirm"],
      ["autoOn", '{"hours":1000,"confirm":true}', "hours"],
      ["audit", '{"limit":-1}', "limit"],
      ["prefsSet", '{"prefs":[]}', "prefs"],
      ["hooksInstall", '{"surface":"../../etc"}', "surface"],
      ["hooksInstall", "{}", "surface"],
      ["hooksInstall", '{"surface":"otto-cli","confirm":true,"command":"rm -rf ~"}', "(top level)"],
      // Installing changes another program's settings: like the switch, it must say a person confirmed.
      ["hooksInstall", '{"surface":"otto-cli"}', "confirm"],
      ["actuatorOff", '{"extra":1}', "(top level)"],
      ["snapshot", "{not json", "(body)"],
    ];
    for (const [name, body, field] of cases) {
      const result = await post(serve.port, name, auth, body);
      expect(result.status, `${name} ${body}`).toBe(400);
      expect((result.json() as { field: string }).field, `${name} ${body}`).toBe(field);
    }
    expect((await http(serve.port, "POST", "/api/actuatorOff", auth, "{}")).status).toBe(415);
    expect((await post(serve.port, "nope", auth, "{}")).status).toBe(404);
    const prefs = await post(serve.port, "prefsSet", auth, '{"prefs":{"poolSize":"three"}}');
    expect(prefs.status).toBe(200);
    expect(prefs.json()).toMatchObject({ ok: false, errors: { poolSize: expect.any(String) } });
    expect((await http(serve.port, "GET", "/api/snapshot", auth)).status).toBe(200);
    await serve.stop();
  });

  it("serves the page under a strict Content-Security-Policy", async () => {
    const { serve } = await served();
    const page = await http(serve.port, "GET", "/");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["cross-origin-resource-policy"]).toBe("same-origin");
    await serve.stop();
  });

  it("pushes a new snapshot by server-sent events when a heartbeat file is written", async () => {
    const { serve, bus } = await served();
    const states: string[] = [];
    const seen = new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: serve.port, path: "/api/events", headers: { Host: `127.0.0.1:${serve.port}`, Authorization: `Bearer ${serve.token}` } }, (res) => {
        expect(res.headers["content-type"]).toBe("text/event-stream");
        let buffer = "";
        res.on("data", (d: Buffer) => {
          buffer += d.toString();
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split("\n").find((l) => l.startsWith("data: "));
            if (data === undefined) continue;
            const snapshot = API.snapshot.result.parse(JSON.parse(data.slice(6)));
            const state = snapshot.detector.surfaces.find((s) => s.id === "otto-cli")?.state ?? "none";
            states.push(state);
            if (states.length === 1) writeHeartbeat(bus, "otto-cli", { status: "working", note: "pushed" });
            if (state === "working") {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on("error", (error) => (states.includes("working") ? resolve() : reject(error)));
      req.end();
    });
    await seen;
    expect(states[0]).not.toBe("working");
    expect(states.at(-1)).toBe("working");
    await serve.stop();
  });

  it("installs a surface's hooks into Claude Code's settings file, and the installed hook reaches the served bus", async () => {
    const { bus, home } = makeBus();
    const claude = join(makeTempDir("otto-claude-"), "claude");
    const settingsFile = join(claude, "settings.json");
    const serve = await startServe(["--home", home, "--bus-dir", bus], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: claude });
    const auth = { Authorization: `Bearer ${serve.token}` };
    const hooksOf = async () => API.snapshot.result.parse((await http(serve.port, "GET", "/api/snapshot", auth)).json()).hooks.surfaces.find((s) => s.surface === "otto-cli");
    expect(await hooksOf()).toMatchObject({ installed: false, current: false });

    const refused = await post(serve.port, "hooksInstall", auth, '{"surface":"nobody","confirm":true}');
    expect(refused.status).toBe(200);
    expect(refused.json()).toMatchObject({ ok: false, refusal: "unknown-surface" });
    expect(existsSync(settingsFile)).toBe(false);

    const result = await post(serve.port, "hooksInstall", auth, '{"surface":"otto-cli","confirm":true}');
    expect(result.status).toBe(200);
    // This node running this checkout's bin/otto-tray, both absolute, with the served paths passed on.
    const command = `${shellQuote(process.execPath)} ${shellQuote(join(REPO_ROOT, "bin", "otto-tray"))} hook --surface otto-cli --pid "$PPID" --bus-dir ${bus} --home ${home}`;
    expect(result.json()).toMatchObject({ ok: true, settingsFile, changed: true, command });
    expect(await hooksOf()).toMatchObject({ installed: true, current: true, installCommand: command });

    // Claude Code runs it through sh with the event on stdin: the heartbeat lands on the bus the dashboard serves.
    const run = spawnSync("/bin/sh", ["-c", command], { input: '{"hook_event_name":"PostToolUse","tool_name":"Read"}', encoding: "utf8" });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== "working"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const snapshot = API.snapshot.result.parse((await http(serve.port, "GET", "/api/snapshot", auth)).json());
      state = snapshot.detector.surfaces.find((s) => s.id === "otto-cli")?.state;
    }
    expect(state, "otto-cli's state after the installed hook ran").toBe("working");
    await serve.stop();
  });
});
