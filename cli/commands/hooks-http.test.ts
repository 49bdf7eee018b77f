// `hooks install --transport http` and `hooks status` through the built CLI, against a real `otto-tray serve` holding the hook endpoint on a free port.
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "../../core/hooks/map";
import { runCli } from "../../test-support/cli";
import { freePort } from "../../test-support/free-port";
import { hookExample } from "../../test-support/hook-examples";
import { eventually } from "../../test-support/hosted-session";
import { http, type ServeProcess, startServe, stopAllServes } from "../../test-support/serve";
import { makeTempDir } from "../../test-support/temp";

afterAll(stopAllServes);

type Entry = { type: string; url?: string; command?: string; headers?: Record<string, string>; timeout?: number };
type Settings = { hooks: Record<string, { matcher?: string; hooks: Entry[] }[]> };


/** A state directory, a bus, a settings file, and the environment that points the CLI at the hook port. */
async function world() {
  const root = makeTempDir("otto-hooks-http-");
  const home = join(root, "home");
  const bus = join(root, "bus");
  const settings = join(root, "settings.json");
  const port = await freePort();
  const env = { OTTO_TRAY_HOOK_PORT: String(port), ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "" };
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus], { env });
  const serve = () => startServe(["--home", home, "--bus-dir", bus], env);
  return { root, home, bus, settings, port, env, cli, serve };
}

/** Waits for serve's line about the hook endpoint and returns it. */
async function endpointLine(serve: ServeProcess): Promise<string> {
  let line: string | undefined;
  await eventually(() => (line = serve.stdout().split("\n").find((l) => l.startsWith("hook endpoint:"))) !== undefined, "serve's hook endpoint line");
  return line as string;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Settings;

/** The first surface's `current` and `tokenProblem` from `hooks status --json`. */
function currentOf(stdout: string): { current: boolean; tokenProblem: string | null } {
  const [surface] = (JSON.parse(stdout) as { surfaces: { current: boolean; tokenProblem: string | null }[] }).surfaces;
  return { current: surface?.current ?? false, tokenProblem: surface?.tokenProblem ?? null };
}

describe("hooks install --transport http against otto-tray serve", () => {
  it("installs HTTP entries with the endpoint's token, events posted as Claude Code posts them reach the dashboard, and status follows the endpoint", async () => {
    const w = await world();
    const serve = await w.serve();
    expect(await endpointLine(serve)).toBe(`hook endpoint: http://127.0.0.1:${w.port}/hook (HTTP hooks answered here)`);

    const install = w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(`posts to http://127.0.0.1:${w.port}/hook?surface=otto-cli`);
    expect(install.stdout).toContain(`endpoint: answers (serve, pid ${serve.child.pid})`);
    expect(install.stdout).not.toContain("removed from");

    // The token: the state directory's own, private, in a header of every HTTP entry of a private settings file.
    const tokenFile = join(w.home, "hook-token");
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(w.settings).mode & 0o777).toBe(0o600);
    const settings = read(w.settings);
    for (const event of HANDLED_EVENTS) {
      const ours = settings.hooks[event]?.flatMap((g) => g.hooks) ?? [];
      expect(ours).toHaveLength(1);
      if (event === "SessionStart") expect(ours[0]).toMatchObject({ type: "command", command: expect.stringContaining(`hook --surface otto-cli --pid "$PPID"`) });
      else expect(ours[0]).toEqual({ type: "http", url: `http://127.0.0.1:${w.port}/hook?surface=otto-cli`, timeout: event === "PermissionRequest" ? 610 : 10, headers: { "X-Otto-Tray-Hook-Token": token } });
    }
    // The dashboard's token is not the endpoint's.
    expect(serve.token).not.toBe(token);

    const status = w.cli("hooks", "status", "--settings", w.settings);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain("otto-cli: current (transport: http)");
    expect(status.stdout).toContain(`http:     http://127.0.0.1:${w.port}/hook?surface=otto-cli: answers (serve, pid ${serve.child.pid})`);

    // Claude Code's HTTP hook: the entry's URL, its headers as written, the event as the body.
    const entry = settings.hooks.PreToolUse?.flatMap((g) => g.hooks)[0] as Entry;
    const url = new URL(entry.url as string);
    const answer = await http(Number(url.port), "POST", `${url.pathname}${url.search}`, { "content-type": "application/json", ...entry.headers }, JSON.stringify(hookExample("PreToolUse")));
    expect(answer).toMatchObject({ status: 200, body: "" });
    const surfaces = () => (JSON.parse(w.cli("status", "--json").stdout) as { surfaces: { id: string; state: string }[] }).surfaces;
    await eventually(() => surfaces().find((s) => s.id === "otto-cli")?.state === "working", "otto-cli working in otto-tray status");
    // The same URL without the header is refused, and publishes nothing more.
    expect((await http(Number(url.port), "POST", `${url.pathname}${url.search}`, { "content-type": "application/json" }, JSON.stringify(hookExample("Stop")))).status).toBe(401);

    await serve.stop();
    const down = w.cli("hooks", "status", "--settings", w.settings);
    expect(down.code).toBe(6);
    expect(down.stdout).toContain(`http:     http://127.0.0.1:${w.port}/hook?surface=otto-cli: does not answer (nothing listens on 127.0.0.1:${w.port})`);
    expect(down.stdout).toContain(`Claude Code shows "hook failed" on every event`);
    const installDown = w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings);
    expect(installDown.code).toBe(0);
    expect(installDown.stdout).toContain(`note: the endpoint does not answer (nothing listens on 127.0.0.1:${w.port})`);
    expect(installDown.stdout).toContain(`"hook failed"`);
  }, 60_000);

  it("a second serve on the same hook port says which otto-tray owns the endpoint", async () => {
    const w = await world();
    const first = await w.serve();
    expect(await endpointLine(first)).toContain("(HTTP hooks answered here)");
    const other = await world();
    const second = await startServe(["--home", other.home, "--bus-dir", other.bus], w.env);
    expect(await endpointLine(second)).toBe(`hook endpoint: 127.0.0.1:${w.port} owned by otto-tray serve (pid ${first.child.pid}); HTTP hooks are answered there`);
    // The first still answers.
    expect((await http(w.port, "GET", "/hook/health")).json()).toEqual({ service: "otto-tray-hook-endpoint", owner: "serve", pid: first.child.pid });
    await second.stop();
    await first.stop();
  }, 60_000);

  it("a token in the settings file that is not the endpoint's: status exits 6 and says so", async () => {
    const w = await world();
    expect(w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings).code).toBe(0);
    const text = readFileSync(w.settings, "utf8");
    const token = readFileSync(join(w.home, "hook-token"), "utf8").trim();
    writeFileSync(w.settings, text.split(token).join("0".repeat(64)));
    const status = w.cli("hooks", "status", "--settings", w.settings);
    expect(status.code).toBe(6);
    expect(status.stdout).toContain("otto-cli: out of date");
    expect(status.stdout).toContain(`token:    the token in ${w.settings} is not the endpoint's (${join(w.home, "hook-token")}); the endpoint answers it with 401; run otto-tray hooks install --transport http --surface otto-cli`);
    // Installing again puts the endpoint's token back.
    expect(w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings).code).toBe(0);
    // Current again (status still exits 6 here only because no endpoint runs in this test).
    expect(currentOf(w.cli("hooks", "status", "--settings", w.settings, "--json").stdout)).toEqual({ current: true, tokenProblem: null });
  });

  it("a settings file others can read while it holds the token: status exits 6, and install makes it private again", async () => {
    const w = await world();
    expect(w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings).code).toBe(0);
    chmodSync(w.settings, 0o644);
    const status = w.cli("hooks", "status", "--settings", w.settings);
    expect(status.code).toBe(6);
    expect(status.stdout).toContain(`token:    ${w.settings} holds the endpoint's token but others can read it (chmod 600 it)`);
    // What the line says to run fixes it, though no entry changes.
    expect(w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings).code).toBe(0);
    expect(statSync(w.settings).mode & 0o777).toBe(0o600);
    expect(currentOf(w.cli("hooks", "status", "--settings", w.settings, "--json").stdout)).toEqual({ current: true, tokenProblem: null });
  });

  it("switching back to the command transport replaces every HTTP entry and leaves no token in the file", async () => {
    const w = await world();
    expect(w.cli("hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", w.settings).code).toBe(0);
    const back = w.cli("hooks", "install", "--surface", "otto-cli", "--settings", w.settings, "--json");
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ transport: "command", updated: HANDLED_EVENTS.filter((e) => e !== "SessionStart") });
    expect(readFileSync(w.settings, "utf8")).not.toContain(readFileSync(join(w.home, "hook-token"), "utf8").trim());
    const status = w.cli("hooks", "status", "--settings", w.settings);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("otto-cli: current (transport: command)");
  });

  it("--transport takes command or http only, and only on install", async () => {
    const w = await world();
    const bogus = w.cli("hooks", "install", "--transport", "bogus", "--surface", "otto-cli", "--settings", w.settings);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain(`--transport: expected command or http, got "bogus"`);
    const onStatus = w.cli("hooks", "status", "--transport", "http", "--settings", w.settings);
    expect(onStatus.code).toBe(2);
    expect(onStatus.stderr).toContain("--transport: only install takes it");
  });

  it("--transport http with OTTO_TRAY_HOOK_PORT=0 is refused: no endpoint would ever answer", () => {
    const file = join(makeTempDir("otto-hooks-http-"), "settings.json");
    const refused = runCli(["hooks", "install", "--transport", "http", "--surface", "otto-cli", "--settings", file], { env: { OTTO_TRAY_HOOK_PORT: "0" } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("OTTO_TRAY_HOOK_PORT is 0");
  });

  it("a command install's summary lists what it added and updated, not what an uninstall removes", async () => {
    const w = await world();
    const install = w.cli("hooks", "install", "--surface", "otto-cli", "--settings", w.settings);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain("  added:   ");
    expect(install.stdout).not.toContain("removed from");
    const uninstall = w.cli("hooks", "uninstall", "--surface", "otto-cli", "--settings", w.settings);
    expect(uninstall.stdout).toContain("  removed from: ");
  });

  it.each([["command"], ["http"]])("hooks status lists the worktree hooks after hooks install --worktrees (transport %s)", async (transport) => {
    const w = await world();
    const install = w.cli("hooks", "install", "--transport", transport, "--worktrees", "--surface", "otto-cli", "--settings", w.settings);
    expect(install.code, install.stderr).toBe(0);
    // The worktree hooks answer Claude Code on stdout with $PPID: commands whatever the transport.
    const settings = read(w.settings);
    expect(settings.hooks.WorktreeCreate?.flatMap((g) => g.hooks)).toEqual([expect.objectContaining({ type: "command", command: expect.stringContaining("hook worktree-create --surface otto-cli") })]);
    const status = w.cli("hooks", "status", "--settings", w.settings);
    expect(status.stdout).toContain(`otto-cli: current (transport: ${transport})`);
    expect(status.stdout).toContain("worktrees: WorktreeCreate, WorktreeRemove, SessionEnd (claude --worktree is served from the pool)");
    const json = JSON.parse(w.cli("hooks", "status", "--settings", w.settings, "--json").stdout) as { surfaces: { surface: string; worktrees: string[]; transport: string }[] };
    expect(json.surfaces).toEqual([expect.objectContaining({ surface: "otto-cli", transport, worktrees: ["WorktreeCreate", "WorktreeRemove", "SessionEnd"] })]);
  });
});
