// The real Codex CLI 0.171.0 in tmux, looping on a Stop hook of the person's own that tells it to go on: each brief
// reply (Stop's last_assistant_message) adds to the streak, as Claude Code's do (a go-on sends no UserPromptSubmit),
// and the surface turns standing-by.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentWorld } from "../agent-world";
import { endLeftovers, exitCodex, findCodex, prepareCodexHome } from "../codex";
import { startResponsesServer } from "../responses-server";
import { Terminal, waitFor } from "../terminal";

const LOOPS = 2;
const terminals: Terminal[] = [];
afterAll(async () => {
  for (const t of terminals) await t.close();
});

describe("a Codex surface looping on a Stop hook (Codex CLI 0.171.0)", () => {
  const found = findCodex();
  it("counts each brief reply of the loop and reaches standing-by", async () => {
    if ("missing" in found) throw new Error(found.missing);
    const w = agentWorld("codex-loop", "codex-main", "codex", { briefAckEscalateAfter: LOOPS + 1 });
    const server = await startResponsesServer([
      { match: "#again", text: "ok again." },
      { match: "#ok", text: "ok." },
    ]);
    const rec = join(w.root, "rec");
    mkdirSync(rec);
    const goOn = `n=$(ls ${rec} | grep -c '^loop'); cat > ${rec}/stop$n.json; if [ "$n" -lt ${LOOPS} ]; then touch ${rec}/loop$n; echo '{"decision":"block","reason":"say ok again #again"}'; fi`;
    const home = prepareCodexHome({ root: w.root, cwd: w.repo, baseUrl: server.baseUrl, hooks: [{ event: "Stop", command: goOn }] });
    const installed = w.cli(["hooks", "install", "--surface", "codex-main"], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${found.bin}' --dangerously-bypass-hook-trust --no-daemon`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    const beats = () =>
      readdirSync(w.bus)
        .filter((n) => n.endsWith(".json"))
        .map((n) => JSON.parse(readFileSync(join(w.bus, n), "utf8")) as { topic: string; from: string; timestamp: string; payload: { event?: string; briefAck?: boolean } })
        .filter((e) => e.topic === "heartbeat" && e.from === "codex-main")
        .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const stops = () => beats().filter((b) => b.payload.event === "Stop");
    await terminal.waitForScreen(/› Ask Codex to do anything/, "Codex's idle prompt", 90_000);
    terminal.type("say ok #ok");
    await terminal.waitForScreen(/› say ok #ok/, "the typed prompt");
    await waitFor(
      () => {
        if (stops().length >= LOOPS + 1) return true;
        // An Enter right after typed text is sometimes dropped: pressed again while the prompt still sits in the box.
        if (terminal.screen().includes("› say ok #ok")) terminal.press("Enter");
        return undefined;
      },
      `${LOOPS + 1} Stop beats`,
      { timeoutMs: 90_000, intervalMs: 1500, describe: () => `${JSON.stringify(beats().map((b) => b.payload.event))}\n${terminal.screen()}` },
    );
    // The go-ons send no UserPromptSubmit: one person's turn, then Stop after Stop, each brief.
    expect(beats().map((b) => b.payload.event).filter((e) => e !== "SessionStart")).toEqual(["UserPromptSubmit", ...Array.from({ length: LOOPS + 1 }, () => "Stop")]);
    expect(stops().every((b) => b.payload.briefAck === true)).toBe(true);
    expect((JSON.parse(readFileSync(join(rec, "stop1.json"), "utf8")) as { stop_hook_active: boolean }).stop_hook_active).toBe(true);
    const standing = await waitFor(() => (w.state()?.state === "standing-by" ? w.state() : undefined), "codex-main standing-by", { timeoutMs: 30_000, describe: () => JSON.stringify(w.state()) });
    expect(standing).toMatchObject({ briefAckStreak: LOOPS + 1, agent: "codex" });
    await exitCodex(terminal);
    await terminal.close();
    expect(await endLeftovers(w.root, home.codexHome)).toEqual([]);
    await server.close();
  }, 240_000);
});
