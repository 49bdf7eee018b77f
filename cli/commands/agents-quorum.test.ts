// A quorum across agents, through the built CLI: a Codex and a Gemini surface made idle by the events the real CLIs
// sent (`otto-tray hook --agent`) count with Claude Code's towards one standing-by quorum, unchanged.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const codexStop = readFileSync(join(FIXTURES, "codex-real", "person-answers", "hooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { stdin: { hook_event_name: string } }).stdin)
  .find((e) => e.hook_event_name === "Stop");
const geminiAfterAgent = readFileSync(join(FIXTURES, "gemini-real", "events", "08-AfterAgent.json"), "utf8");

describe("a quorum across Claude Code, Codex and Gemini surfaces", () => {
  it("counts a Codex and a Gemini surface idle at the end of their turns, as Claude Code's", () => {
    const home = makeTempDir();
    const bus = makeTempDir();
    chmodSync(bus, 0o700);
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ surfaces: ["otto-cli", { id: "codex-main", agent: "codex" }, { id: "gem-main", agent: "gemini" }] }));
    const cli = (args: string[], input?: string) => runCli([...args, "--home", home, "--bus-dir", bus], input === undefined ? {} : { input });
    // The agents' own hook commands (no --agent: each surface's agent comes from the preferences).
    expect(cli(["hook", "--surface", "codex-main", "--pid", String(process.pid)], JSON.stringify(codexStop)).code).toBe(0);
    expect(cli(["hook", "--surface", "gem-main", "--pid", String(process.pid)], geminiAfterAgent).code).toBe(0);
    const status = JSON.parse(cli(["status", "--json"]).stdout) as { surfaces: { id: string; state: string; agent: string }[] };
    expect(status.surfaces.filter((s) => s.state === "idle").map((s) => [s.id, s.agent])).toEqual([
      ["codex-main", "codex"],
      ["gem-main", "gemini"],
    ]);
    // Later than the quorum's idle bound: one standing-by quorum naming both.
    const later = new Date(Date.now() + 60 * 60_000).toISOString();
    const detected = cli(["detect", "--once", "--json", "--now", later]);
    expect(detected.code, detected.stderr).toBe(0);
    const quorums = readdirSync(bus)
      .filter((n) => n.endsWith(".json"))
      .map((n) => JSON.parse(readFileSync(join(bus, n), "utf8")) as { topic: string; payload: { surfaces: string[] } })
      .filter((e) => e.topic === "standing-by-quorum");
    expect(quorums).toHaveLength(1);
    expect([...(quorums[0]?.payload.surfaces ?? [])].sort()).toEqual(["codex-main", "gem-main"]);
  });
});
