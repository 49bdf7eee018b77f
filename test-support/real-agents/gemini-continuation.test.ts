// The real Gemini CLI 0.61.0 in tmux, looping on an AfterAgent hook of the person's own that tells it to go on: each
// turn it goes on with fires BeforeAgent again, told apart from the person's by its chat file, so the brief-ack streak
// grows and the surface turns standing-by; the person's next prompt starts it over.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentWorld } from "../agent-world";
import { REPO_ROOT } from "../cli";
import { findGemini, GEMINI_MODEL, GEMINI_SKIP_ENV, prepareGeminiHome } from "../gemini";
import { startGeminiServer } from "../gemini-server";
import { Terminal, waitFor } from "../terminal";

const found = findGemini();
const skip = "missing" in found && process.env[GEMINI_SKIP_ENV] === "1" && !process.env.CI;
/** Set to 1 to copy the chat file as it stood at each BeforeAgent into test-support/fixtures/gemini-real/continuation. */
const RECORD = process.env.OTTO_TRAY_RECORD_GEMINI === "1";
const RECORDINGS = join(REPO_ROOT, "test-support", "fixtures", "gemini-real", "continuation");
const LOOPS = 2;

const terminals: Terminal[] = [];
afterAll(async () => {
  for (const t of terminals) await t.close();
});

interface Envelope {
  topic: string;
  from: string;
  to?: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

describe.skipIf(skip)("a Gemini surface looping on an AfterAgent hook (Gemini CLI 0.61.0)", () => {
  it("counts each brief turn the hook made it go on with, reaches standing-by, and starts over at the person's prompt", async () => {
    if ("missing" in found) throw new Error(found.missing);
    const w = agentWorld("gemini-loop", "gem-main", "gemini", { briefAckEscalateAfter: LOOPS + 1 });
    const server = await startGeminiServer([
      { match: "#again", text: "ok again." },
      { match: "#ok", text: "ok." },
      { match: "#long", text: "A longer answer: the repository holds one README on main and nothing else. ".repeat(6) },
    ]);
    const rec = join(w.root, "rec");
    mkdirSync(rec);
    // The person's own hooks: AfterAgent says "go on" LOOPS times; BeforeAgent keeps a copy of the chat file as it stood.
    const goOn = `n=$(ls ${rec} | grep -c '^loop'); cat > /dev/null; if [ "$n" -lt ${LOOPS} ]; then touch ${rec}/loop$n; echo '{"decision":"block","reason":"say ok again #again"}'; fi`;
    const keep = `f=$(sed -n 's/.*"transcript_path":"\\([^"]*\\)".*/\\1/p'); n=$(ls ${rec} | grep -c '^before'); cp "$f" ${rec}/before-$n.jsonl`;
    const home = prepareGeminiHome({
      root: w.root,
      cwd: w.repo,
      baseUrl: server.url,
      hooks: {
        AfterAgent: [{ matcher: "*", hooks: [{ name: "go-on", type: "command", command: goOn, timeout: 5000 }] }],
        BeforeAgent: [{ matcher: "*", hooks: [{ name: "keep-chat", type: "command", command: keep, timeout: 5000 }] }],
      },
    });
    const installed = w.cli(["hooks", "install", "--surface", "gem-main"], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${process.execPath}' '${found.bin}' -m ${GEMINI_MODEL}`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    const beats = () =>
      readdirSync(w.bus)
        .filter((n) => n.endsWith(".json"))
        .map((n) => JSON.parse(readFileSync(join(w.bus, n), "utf8")) as Envelope)
        .filter((e) => e.topic === "heartbeat" && e.from === "gem-main")
        .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const afterAgents = () => beats().filter((b) => b.payload.event === "AfterAgent");
    const explain = () => `beats: ${JSON.stringify(beats().map((b) => [b.payload.event, b.payload.briefAck]))}\nstate: ${JSON.stringify(w.state())}\n${terminal.screen()}`;
    await terminal.waitForScreen(/Type your message or @path\/to\/file/, "Gemini CLI's input box", 120_000);
    const submit = async (prompt: string, turns: number) => {
      const count = afterAgents().length;
      terminal.type(prompt);
      await terminal.waitForScreen(new RegExp(` > ${prompt.replace(/[.*+?^${}()|[\]\\#]/g, "\\$&")}\n`), "the typed prompt");
      await waitFor(
        () => {
          if (afterAgents().length >= count + turns) return true;
          // An Enter right after typed text is sometimes dropped: pressed again only while the prompt sits in the box.
          if (afterAgents().length === count && terminal.screen().includes(`\n > ${prompt}\n`)) terminal.press("Enter");
          return undefined;
        },
        `${turns} AfterAgent for ${JSON.stringify(prompt)}`,
        { timeoutMs: 90_000, intervalMs: 1000, describe: explain },
      );
    };

    await submit("say ok #ok", LOOPS + 1);
    // The person's turn, then the ones the hook made it go on with: told apart at their BeforeAgent.
    expect(beats().map((b) => b.payload.event).filter((e) => e !== "SessionStart")).toEqual(["BeforeAgent", "AfterAgent", ...Array.from({ length: LOOPS }, () => ["HookContinuation", "AfterAgent"]).flat()]);
    expect(afterAgents().every((b) => b.payload.briefAck === true)).toBe(true);
    const standing = await waitFor(() => (w.state()?.state === "standing-by" ? w.state() : undefined), "gem-main standing-by", { timeoutMs: 30_000, describe: explain });
    expect(standing).toMatchObject({ briefAckStreak: LOOPS + 1, reason: "only brief acknowledgements" });
    const detected = w.cli(["detect", "--once", "--json"]);
    expect(detected.code, detected.stderr).toBe(0);

    // The person speaks again: a new streak (the hook's loop is spent, so one brief turn).
    await submit("tell me more #long", 1);
    expect(afterAgents().at(-1)?.payload).toMatchObject({ briefAck: false });
    await waitFor(() => w.state()?.state === "idle", "gem-main idle after a long reply", { timeoutMs: 30_000, describe: explain });
    expect(w.state()).toMatchObject({ briefAckStreak: 0 });
    await terminal.close();
    await server.close();

    if (RECORD) {
      mkdirSync(RECORDINGS, { recursive: true });
      const neutral = (text: string) => text.split(w.root).join(w.root.replace(/[^-]+$/, (random) => "X".repeat(random.length)));
      for (let i = 0; existsSync(join(rec, `before-${i}.jsonl`)); i++) copyFileSync(join(rec, `before-${i}.jsonl`), join(RECORDINGS, `before-agent-${i}.jsonl`));
      for (const name of readdirSync(RECORDINGS)) {
        const path = join(RECORDINGS, name);
        const { writeFileSync } = await import("node:fs");
        writeFileSync(path, neutral(readFileSync(path, "utf8")));
      }
    }
  }, 240_000);
});
