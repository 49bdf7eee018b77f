// The real Gemini CLI 0.61.0 in tmux with Otto Tray's hooks: what only its chat file tells — a rejected dialog (no event follows) and a brief reply.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentWorld } from "../agent-world";
import { REPO_ROOT } from "../cli";
import { findGemini, GEMINI_MODEL, GEMINI_SKIP_ENV, prepareGeminiHome } from "../gemini";
import { startGeminiServer } from "../gemini-server";
import { Terminal, waitFor } from "../terminal";

const found = findGemini();
// Missing install: fail loudly (CI runs ./scripts/setup --tests), unless a developer opted out explicitly (never under CI).
const skip = "missing" in found && process.env[GEMINI_SKIP_ENV] === "1" && !process.env.CI;
/** Set to 1 to copy this run's chat file, as it stood at each step, into test-support/fixtures/gemini-real/transcripts. */
const RECORD = process.env.OTTO_TRAY_RECORD_GEMINI === "1";
const RECORDINGS = join(REPO_ROOT, "test-support", "fixtures", "gemini-real", "transcripts");

const LONG_REPLY =
  "Here is a longer answer than any acknowledgement: the repository holds one README, committed on main, and nothing else. " +
  "Before changing anything I would read the build scripts, run the tests to see where they stand, and write down what each " +
  "directory is for, so that the next step is planned rather than guessed. Tell me which of these you want first.";
// The server answers the first turn whose match the request's last user content contains; after a rejected dialog that
// content still holds the rejected prompt too (the next prompt joins it), so the turns used later come first.
const SCRIPT = [
  { match: "#long", text: LONG_REPLY },
  { match: "#ok", text: "ok." },
  { match: "#three", call: { name: "run_shell_command", args: { command: "touch rejected-with-3.txt", description: "Create a file." } } },
  { text: "Should not run: the person rejected it." },
  { match: "#esc", call: { name: "run_shell_command", args: { command: "touch rejected-with-esc.txt", description: "Create a file." } } },
  { text: "Should not run: the person rejected it." },
];

const terminals: Terminal[] = [];
afterAll(async () => {
  for (const t of terminals) await t.close();
});

interface Envelope {
  id: string;
  topic: string;
  from: string;
  to?: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

/** agentWorld's gem-main (Gemini), with a nudge after one brief reply, and the bus read in publication order. */
function world() {
  // staleAfterSeconds stays at its default (300): the rejected dialog must show without waiting for silence.
  const w = agentWorld("gemini-transcript", "gem-main", "gemini", { briefAckEscalateAfter: 1 });
  const envelopes = (topic: string): Envelope[] =>
    readdirSync(w.bus)
      .filter((n) => n.endsWith(".json"))
      .map((n) => JSON.parse(readFileSync(join(w.bus, n), "utf8")) as Envelope)
      .filter((e) => e.topic === topic)
      // In the order they were published (a hook's beat is written before the next hook starts).
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const beats = () => envelopes("heartbeat").filter((e) => e.from === "gem-main");
  return { ...w, envelopes, beats };
}

describe.skipIf(skip)("a Gemini surface read from its chat file (Gemini CLI 0.61.0)", () => {
  it("turns idle when its dialog is rejected (Esc, then 3) though no event comes; a brief reply carries briefAck and the nudge is published", async () => {
    if ("missing" in found) throw new Error(found.missing);
    const w = world();
    const server = await startGeminiServer(SCRIPT);
    const home = prepareGeminiHome({ root: w.root, cwd: w.repo, baseUrl: server.url });
    const installed = w.cli(["hooks", "install", "--surface", "gem-main"], home.env);
    expect(installed.code, installed.stderr).toBe(0);
    const terminal = Terminal.start({ dir: w.root, command: `exec '${process.execPath}' '${found.bin}' -m ${GEMINI_MODEL}`, cwd: w.repo, env: home.env });
    terminals.push(terminal);
    const explain = () => `state: ${JSON.stringify(w.state())}\nrequests: ${server.requests.map((r) => r.answered).join(", ")}\nscreen:\n${terminal.screen()}`;
    const chatFile = () => {
      const chats = join(home.home, ".gemini", "tmp", "repo", "chats");
      const name = existsSync(chats) ? readdirSync(chats).find((n) => n.startsWith("session-") && n.endsWith(".jsonl")) : undefined;
      return name === undefined ? undefined : join(chats, name);
    };
    const recordings: Record<string, string> = {};
    const snapshot = (name: string) => {
      const file = chatFile();
      if (file !== undefined) recordings[name] = readFileSync(file, "utf8");
    };

    await terminal.waitForScreen(/Type your message or @path\/to\/file/, "Gemini CLI's input box", 120_000);
    /** Types a prompt and presses Enter until `done` (an Enter right after typed text is sometimes dropped: pressed again only while the prompt still sits in the input box). */
    const submit = async (prompt: string, done: () => boolean, what: string) => {
      const beforeAgents = w.beats().filter((b) => b.payload.event === "BeforeAgent").length;
      terminal.type(prompt);
      await terminal.waitForScreen(new RegExp(` > ${prompt.replace(/[.*+?^${}()|[\]\\#]/g, "\\$&")}\n`), "the typed prompt");
      await waitFor(
        () => {
          if (done()) return true;
          const taken = w.beats().filter((b) => b.payload.event === "BeforeAgent").length > beforeAgents;
          if (!taken && terminal.screen().includes(`\n > ${prompt}\n`)) terminal.press("Enter");
          return undefined;
        },
        what,
        { timeoutMs: 90_000, intervalMs: 1000, describe: explain },
      );
    };
    const dialogOpen = () => /Allow execution of \[Shell\]\?/.test(terminal.screen());
    const idleBox = /\? for shortcuts\n─+\n[^\n]*\n\n > {3}Type your message or @path\/to\/file/;

    // (a) A dialog rejected with Esc, then one rejected with "3": waiting, then idle with no event after the Notification.
    for (const [prompt, key, name] of [
      ["run it #esc", "Escape", "rejected-esc"],
      ["run it #three", "3", "rejected-3"],
    ] as const) {
      await submit(prompt, dialogOpen, `the dialog for ${JSON.stringify(prompt)}`);
      const waiting = await waitFor(() => (w.state()?.state === "waiting" ? w.state() : undefined), "gem-main waiting", { timeoutMs: 30_000, describe: explain });
      expect(waiting?.waiting).toBe(`permission for shell: touch rejected-with-${key === "3" ? "3" : "esc"}.txt`);
      snapshot(`${name}.dialog-open`);
      const beatsBefore = w.beats().length;
      await terminal.answer(/Allow execution of \[Shell\]\?/, key);
      await terminal.waitForScreen(idleBox, "the empty input box after the rejection", 60_000);
      const idle = await waitFor(() => (w.state()?.state === "idle" ? w.state() : undefined), `gem-main idle after ${key}`, { timeoutMs: 30_000, describe: explain });
      expect(idle?.reason).toMatch(/^the Shell permission dialog was rejected in the terminal \(transcript\)/);
      expect(idle?.waiting).toBeNull();
      // Gemini sent nothing after its Notification: the chat file alone told.
      expect(w.beats().slice(beatsBefore).map((b) => b.payload.event)).toEqual([]);
      expect(w.beats().at(-1)?.payload).toMatchObject({ event: "Notification", transcriptPath: chatFile() });
      snapshot(name);
    }
    expect(existsSync(join(w.repo, "rejected-with-esc.txt")) || existsSync(join(w.repo, "rejected-with-3.txt"))).toBe(false);

    // (b) Two turns answered "ok.": each AfterAgent beat carries briefAck true; the detector publishes the nudge.
    for (const [i, prompt] of ["say ok #ok", "again, just ok #ok"].entries()) {
      const afterAgents = () => w.beats().filter((b) => b.payload.event === "AfterAgent");
      const count = afterAgents().length;
      await submit(prompt, () => afterAgents().length > count, `AfterAgent for ${JSON.stringify(prompt)}`);
      expect(afterAgents().at(-1)?.payload).toMatchObject({ status: "idle", briefAck: true });
      if (i === 0) snapshot("brief-ok");
    }
    const detected = w.cli(["detect", "--once", "--json"]);
    expect(detected.code, detected.stderr).toBe(0);
    const nudges = w.envelopes("infinite-backlog-nudge");
    expect(nudges.length).toBeGreaterThanOrEqual(1);
    expect(nudges.every((n) => n.to === "gem-main" && n.payload.surface === "gem-main")).toBe(true);
    expect(w.state()).toMatchObject({ state: "standing-by", briefAckStreak: 1 });

    // A long reply is not brief: briefAck false, and the surface is plainly idle.
    const afterAgents = () => w.beats().filter((b) => b.payload.event === "AfterAgent");
    const count = afterAgents().length;
    await submit("tell me more #long", () => afterAgents().length > count, "AfterAgent for the long reply");
    expect(afterAgents().at(-1)?.payload).toMatchObject({ status: "idle", briefAck: false });
    expect(w.state()).toMatchObject({ state: "idle", briefAckStreak: 0 });
    snapshot("long-reply");
    await terminal.close();
    await server.close();

    if (RECORD) {
      // The temp dir's random part rewritten to X's of the same length; the chat file otherwise as written.
      const neutral = (text: string) => text.split(w.root).join(w.root.replace(/[^-]+$/, (random) => "X".repeat(random.length)));
      mkdirSync(RECORDINGS, { recursive: true });
      for (const [name, text] of Object.entries(recordings)) writeFileSync(join(RECORDINGS, `${name}.jsonl`), neutral(text));
    }
  }, 360_000);
});
