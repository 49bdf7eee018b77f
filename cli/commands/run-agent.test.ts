// `otto-tray run` reads the hosted screen the way the surface's agent (preferences) draws it: Gemini CLI's Shell
// dialog is a prompt on a Gemini surface only; a Codex surface's screen is not read (its hook is its backend).
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_BIN, FIXTURES, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const GEMINI_DIALOG = join(FIXTURES, "gemini-real", "screens", "shell-dialog.txt");
// Prints a recorded screen and waits, as an agent showing its dialog does.
const SHOW = "process.stdout.write(require('fs').readFileSync(process.argv[1], 'utf8').trimEnd()); setTimeout(() => {}, 60000)";

const hosts: ChildProcess[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill("SIGTERM");
});

/** Hosts the printed Gemini dialog as surface `surface` of `agent`, and waits until its session is listed. */
async function hostDialog(surface: string, agent: string) {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  writeFileSync(join(home, "preferences.json"), JSON.stringify({ surfaces: [{ id: surface, agent }] }));
  const host = spawn(process.execPath, [CLI_BIN, "run", "--surface", surface, "--home", home, "--bus-dir", bus, "--", process.execPath, "-e", SHOW, GEMINI_DIALOG], { cwd: home, env: process.env, stdio: ["pipe", "ignore", "pipe"] });
  hosts.push(host);
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus]);
  const deadline = Date.now() + 20_000;
  while ((JSON.parse(cli("sessions", "--json").stdout || "[]") as unknown[]).length === 0) {
    if (Date.now() > deadline) throw new Error("the hosted session never registered");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return cli;
}

/** Plans until the screen has been read (a plan, or a refusal other than no-prompt). */
async function plan(cli: Awaited<ReturnType<typeof hostDialog>>, surface: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = cli("unstick", "plan", "--surface", surface, "--json");
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    // Before the program has drawn anything the screen is empty: that says nothing about the reader yet.
    const unread = json.refusal === "no-prompt" || /screen is empty/.test(String(json.reason));
    if (!unread || Date.now() > deadline) return { code: result.code, json };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("otto-tray run chooses the screen reader by the surface's agent", () => {
  it("a Gemini surface: Gemini CLI's Shell dialog is planned with its single-use Allow once", async () => {
    const cli = await hostDialog("gem-main", "gemini");
    const planned = await plan(cli, "gem-main");
    expect(planned.code).toBe(0);
    expect(planned.json).toMatchObject({ backend: "pty", prompt: { title: "Shell", subject: "touch made-by-gemini.txt" }, action: { answer: "Allow once", keys: "1" } });
  });

  it("a claude-code surface: the same screen is not a prompt", async () => {
    const cli = await hostDialog("otto-cli", "claude-code");
    const planned = await plan(cli, "otto-cli");
    expect(planned.code).toBe(5);
    expect(planned.json).toMatchObject({ refusal: "unrecognised", reason: expect.stringMatching(/highlighted options/) as unknown });
  });

  it("a codex surface: its screen is not read at all; only a waiting PermissionRequest hook could answer", async () => {
    const cli = await hostDialog("codex-main", "codex");
    const planned = await plan(cli, "codex-main");
    expect(planned.code).toBe(5);
    expect(planned.json).toMatchObject({ refusal: "no-backend", reason: expect.stringMatching(/^no Codex PermissionRequest hook of codex-main is waiting/) as unknown });
  });
});
