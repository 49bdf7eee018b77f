// The host reads its screen with the surface's agent's reader only, and publishes no screen heartbeats for an agent whose screen is not read (Codex).
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { makeTempDir } from "../../../test-support/temp";
import { waitFor } from "../../../test-support/terminal";
import type { Agent } from "../../agents";
import { screenReaderFor } from "../screen/reader-for-agent";
import { PtyHost } from "./host";

const GEMINI_DIALOG = join(FIXTURES, "gemini-real", "screens", "shell-dialog.txt");
const CLAUDE_DIALOG = join(FIXTURES, "claude-code-real", "screens", "permission-bash-rm-rf.txt");
// Prints a recorded screen and waits, as an agent showing its dialog does.
const SHOW = "process.stdout.write(require('fs').readFileSync(process.argv[1], 'utf8').trimEnd()); setTimeout(() => {}, 60000)";

function heartbeats(bus: string): { event?: string; status?: string; waiting?: string }[] {
  return readdirSync(bus)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(bus, f), "utf8")) as { topic: string; payload: { event?: string; status?: string; waiting?: string } })
    .filter((e) => e.topic === "heartbeat")
    .map((e) => e.payload);
}

async function hostShowing(screenFile: string, agent: Agent | undefined, body: (host: PtyHost, bus: string) => Promise<void>): Promise<string> {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const reader = agent === undefined ? {} : { reader: screenReaderFor(agent) };
  const host = new PtyHost({ homeDir: home, busDir: bus, surface: "gem-main", command: process.execPath, args: ["-e", SHOW, screenFile], cwd: home, env: process.env, policy: { projectDir: home, autoAllowlist: [] }, cols: 120, rows: 40, keepAliveMs: 100, ...reader });
  await host.start();
  try {
    await body(host, bus);
  } finally {
    host.kill();
    await host.stop(await host.exited);
  }
  return bus;
}

async function readingOf(host: PtyHost, until: (kind: string) => boolean) {
  for (let i = 0; ; i++) {
    const { reading } = await host.access().readScreen();
    if (until(reading.kind) || i > 30) return reading;
  }
}

describe("PtyHost reads the screen with the surface's agent's reader", () => {
  it("Gemini's reader reads Gemini's dialog and the host says the surface waits on the command", async () => {
    await hostShowing(GEMINI_DIALOG, "gemini", async (host, bus) => {
      expect(await readingOf(host, (k) => k === "permission")).toMatchObject({ kind: "permission", title: "Shell", subject: "touch made-by-gemini.txt" });
      await waitFor(() => heartbeats(bus).some((b) => b.event === "PtyScreen" && b.waiting === "Shell: touch made-by-gemini.txt"), "the waiting heartbeat", { timeoutMs: 10_000 });
    });
  });

  it("Claude Code's reader (the default) does not take Gemini's dialog for a prompt, nor Gemini's reader Claude Code's", async () => {
    await hostShowing(GEMINI_DIALOG, undefined, async (host) => {
      expect((await readingOf(host, (k) => k !== "idle")).kind).toBe("unrecognised");
    });
    await hostShowing(CLAUDE_DIALOG, "gemini", async (host) => {
      expect((await readingOf(host, (k) => k !== "idle")).kind).toBe("unrecognised");
    });
    await hostShowing(CLAUDE_DIALOG, "claude-code", async (host) => {
      expect((await readingOf(host, (k) => k === "permission")).kind).toBe("permission");
    });
  });

  it("Codex's screen is not read: no screen heartbeat at all, only the session's end", async () => {
    const bus = await hostShowing(GEMINI_DIALOG, "codex", async (host) => {
      expect(await readingOf(host, () => true)).toEqual({ kind: "unrecognised", reason: "Codex's dialog is answered through its PermissionRequest hook, not read from the screen" });
      // Many keep-alive periods (100 ms) pass while the screen is up: none may publish.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    });
    expect(heartbeats(bus)).toEqual([expect.objectContaining({ event: "SessionEnd" })]);
  });
});
