// The real Gemini CLI 0.61.0 in a real terminal (tmux), offline against a scripted Gemini API server: what its hooks receive, its permission dialog, and that no hook can approve it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../cli";
import { findGemini, GEMINI_HOOK_EVENTS, GEMINI_MODEL, GEMINI_SKIP_ENV, type GeminiHooks, prepareGeminiHome } from "../gemini";
import { type GeminiServer, startGeminiServer } from "../gemini-server";
import { git, GIT_TEST_ENV } from "../git";
import { makeTempDir } from "../temp";
import { Terminal, waitFor } from "../terminal";

const found = findGemini();
// Missing install: fail loudly (CI runs ./scripts/setup --tests), unless a developer opted out explicitly (never under CI).
const skip = "missing" in found && process.env[GEMINI_SKIP_ENV] === "1" && !process.env.CI;
/** Set to 1 to copy this run's recordings into test-support/fixtures/gemini-real (paths rewritten). */
const RECORD = process.env.OTTO_TRAY_RECORD_GEMINI === "1";
const FIXTURES = join(REPO_ROOT, "test-support", "fixtures", "gemini-real");

const SCRIPT = [
  { match: "#hello", delayMs: 4_000, text: "Hello there." },
  { match: "#touch", call: { name: "run_shell_command", args: { command: "touch made-by-gemini.txt", description: "Create an empty file." } } },
  { text: "Made the file." },
  { match: "#hook-allow", call: { name: "run_shell_command", args: { command: "touch hook-says-allow.txt", description: "Create a file a hook allows." } } },
  { text: "Should not run: the person rejected it." },
];

/** Writes each event's stdin, with the hook's parent pid ($PPID), to DIR/<monotonic ns>-<event>.json. */
const RECORDER = `const [event, dir, ppid] = process.argv.slice(2);
let input = "";
process.stdin.setEncoding("utf8").on("data", (d) => (input += d)).on("end", () => {
  let stdin;
  try { stdin = JSON.parse(input); } catch { stdin = input; }
  require("fs").writeFileSync(require("path").join(dir, process.hrtime.bigint() + "-" + event + ".json"), JSON.stringify({ ppid: Number(ppid), stdin }));
});
`;
/** A BeforeTool hook answering "allow" (Gemini's hook decision) for the command naming hook-says-allow; silent otherwise. */
const ALLOW_HOOK = `const [marker] = process.argv.slice(2);
let input = "";
process.stdin.setEncoding("utf8").on("data", (d) => (input += d)).on("end", () => {
  if (!input.includes("hook-says-allow")) return;
  require("fs").writeFileSync(marker, input);
  process.stdout.write(JSON.stringify({ decision: "allow", reason: "Otto Tray test: a BeforeTool hook allows this", hookSpecificOutput: { hookEventName: "BeforeTool" } }));
});
`;

interface Recorded {
  file: string;
  event: string;
  ppid: number;
  stdin: Record<string, unknown>;
}

describe.skipIf(skip)("the real Gemini CLI's hooks and permission dialog", () => {
  let server: GeminiServer | undefined;
  let terminal: Terminal | undefined;
  let root = "";
  let repo = "";
  let events = "";
  let allowMarker = "";
  const screens: Record<string, string> = {};
  /** The pane's process (the CLI's launcher) and the child it relaunched itself as (the hooks' parent). */
  const pids = { launcher: 0, cli: 0 };

  const recorded = (): Recorded[] =>
    existsSync(events)
      ? readdirSync(events)
          .filter((name) => name.endsWith(".json"))
          .sort((a, b) => (BigInt(a.split("-")[0] as string) < BigInt(b.split("-")[0] as string) ? -1 : 1))
          .map((file) => {
            const { ppid, stdin } = JSON.parse(readFileSync(join(events, file), "utf8")) as { ppid: number; stdin: Record<string, unknown> };
            return { file, event: file.replace(/^\d+-|\.json$/g, ""), ppid, stdin };
          })
      : [];
  const names = () => recorded().map((r) => r.event);
  const explain = () => `events: ${names().join(", ")}\nrequests: ${server?.requests.map((r) => `${r.path} → ${r.answered}`).join("; ")}\nscreen:\n${terminal?.screen() ?? ""}`;
  /** Waits for a recorded event after `from` (an index into the recording) that satisfies `check`. */
  const event = (what: string, from: number, check: (r: Recorded) => boolean, timeoutMs = 60_000) =>
    waitFor(() => recorded().slice(from).find(check), what, { timeoutMs, intervalMs: 200, describe: explain });
  const snap = (name: string) => {
    screens[name] = terminal?.screen() ?? "";
    return screens[name];
  };
  // The input box, empty: its placeholder between the rule and the footer.
  const idleScreen = /\? for shortcuts\n─+\n[^\n]*\n\n > {3}Type your message or @path\/to\/file/;
  const shellDialog = /│ \? Shell {2}[^\n]*\n[\s\S]*Allow execution of \[Shell\]\?[\s\S]*● 1\. Allow once[\s\S]*2\. Allow for this session[\s\S]*3\. No, suggest changes \(esc\)/;

  /**
   * Types a prompt and presses Enter until Gemini takes it (its BeforeAgent hook fires): an Enter that follows the typed
   * text too closely is sometimes dropped. Enter is pressed again only while the prompt still sits in the input box.
   */
  const submit = async (prompt: string) => {
    const from = recorded().length;
    terminal?.type(prompt);
    await terminal?.waitForScreen(new RegExp(` > ${prompt.replace(/[.*+?^${}()|[\]\\#]/g, "\\$&")}\n`), "the typed prompt in the input box");
    terminal?.press("Enter");
    return waitFor(
      () => {
        const hit = recorded().slice(from).find((r) => r.event === "BeforeAgent" && r.stdin.prompt === prompt);
        if (hit !== undefined) return hit;
        if (terminal?.screen().includes(`\n > ${prompt}\n\n\n workspace`) === true) terminal.press("Enter");
        return undefined;
      },
      `BeforeAgent for ${JSON.stringify(prompt)}`,
      { timeoutMs: 60_000, intervalMs: 1_000, describe: explain },
    );
  };

  beforeAll(async () => {
    if ("missing" in found) throw new Error(found.missing);
    root = makeTempDir("otto-real-gemini-");
    repo = join(root, "repo");
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
    writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "init"]);
    events = join(root, "events");
    mkdirSync(events);
    writeFileSync(join(root, "record-hook.cjs"), RECORDER);
    writeFileSync(join(root, "allow-hook.cjs"), ALLOW_HOOK);
    allowMarker = join(root, "allow-hook-answered.json");

    const record = (name: string) => ({ name: `record-${name}`, type: "command" as const, command: `'${process.execPath}' '${join(root, "record-hook.cjs")}' ${name} '${events}' "$PPID"`, timeout: 10_000 });
    const hooks: GeminiHooks = {};
    for (const name of GEMINI_HOOK_EVENTS) hooks[name] = [{ matcher: "*", hooks: [record(name)] }];
    hooks.BeforeTool?.push({ matcher: "run_shell_command", hooks: [{ name: "answer-allow", type: "command", command: `'${process.execPath}' '${join(root, "allow-hook.cjs")}' '${allowMarker}'`, timeout: 10_000 }] });

    server = await startGeminiServer(SCRIPT);
    const gemini = prepareGeminiHome({ root, cwd: repo, baseUrl: server.url, hooks });
    // exec: the pane's process is the CLI's launcher (it relaunches itself as a child Node with a bigger heap).
    terminal = Terminal.start({ dir: root, command: `exec '${process.execPath}' '${found.bin}' -m ${GEMINI_MODEL}`, cwd: repo, env: gemini.env });
    await terminal.waitForScreen(idleScreen, "Gemini CLI's empty input box", 120_000);
    snap("idle-start");
  }, 240_000);

  afterAll(async () => {
    await terminal?.close();
    await server?.close();
    if (RECORD && root !== "") saveFixtures();
  });

  /** Copies the recordings into the fixtures (the temp dir's random part rewritten to X's of the same length, so screens keep their columns). */
  function saveFixtures(): void {
    const neutralRoot = root.replace(/[^-]+$/, (random) => "X".repeat(random.length));
    const neutral = (text: string) => text.split(root).join(neutralRoot);
    // Only the recorded parts are replaced: README.md, written by hand, stays.
    for (const dir of ["events", "screens"]) rmSync(join(FIXTURES, dir), { recursive: true, force: true });
    mkdirSync(join(FIXTURES, "events"), { recursive: true });
    mkdirSync(join(FIXTURES, "screens"), { recursive: true });
    const parent = (ppid: number) => (ppid === pids.cli ? "the relaunched CLI" : ppid === pids.launcher ? "the launcher (pane process)" : `other (${ppid})`);
    const timeline = recorded().map((r, i) => {
      const file = `${String(i + 1).padStart(2, "0")}-${r.event}.json`;
      writeFileSync(join(FIXTURES, "events", file), `${neutral(JSON.stringify(r.stdin, null, 2))}\n`);
      return { file, event: r.event, timestamp: r.stdin.timestamp, hookParent: parent(r.ppid) };
    });
    writeFileSync(join(FIXTURES, "timeline.json"), `${JSON.stringify(timeline, null, 2)}\n`);
    for (const [name, text] of Object.entries(screens)) writeFileSync(join(FIXTURES, "screens", `${name}.txt`), `${neutral(text)}\n`);
    const requests = (server?.requests ?? []).map((r) => ({
      path: r.path,
      answered: r.answered,
      lastUser: r.lastUser.slice(-200),
      tools: Array.isArray(r.body.tools) ? (r.body.tools as { functionDeclarations?: { name: string }[] }[]).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name)) : [],
      generationConfig: r.body.generationConfig,
    }));
    writeFileSync(join(FIXTURES, "requests.json"), `${neutral(JSON.stringify(requests, null, 2))}\n`);
    const shellTool = (server?.requests ?? [])
      .flatMap((r) => (Array.isArray(r.body.tools) ? (r.body.tools as { functionDeclarations?: { name: string }[] }[]) : []))
      .flatMap((t) => t.functionDeclarations ?? [])
      .find((f) => f.name === "run_shell_command");
    writeFileSync(join(FIXTURES, "run_shell_command.declaration.json"), `${JSON.stringify(shellTool, null, 2)}\n`);
    writeFileSync(join(FIXTURES, "script.json"), `${JSON.stringify(SCRIPT, null, 2)}\n`);
    writeFileSync(join(FIXTURES, "settings.json"), neutral(readFileSync(join(root, "home", ".gemini", "settings.json"), "utf8")));
    // The session's transcript (JSONL), long strings cut: what it says about the allowed and the rejected command.
    const chats = join(root, "home", ".gemini", "tmp", "repo", "chats");
    const cut = (_key: string, value: unknown) => (typeof value === "string" && value.length > 300 ? `${value.slice(0, 300)}…` : value);
    for (const name of existsSync(chats) ? readdirSync(chats) : []) {
      const lines = readFileSync(join(chats, name), "utf8").split("\n").filter((line) => line !== "");
      writeFileSync(join(FIXTURES, "transcript.trimmed.jsonl"), `${lines.map((line) => neutral(JSON.stringify(JSON.parse(line) as unknown, cut))).join("\n")}\n`);
    }
  }

  it("starts: SessionStart (source startup) from the CLI's relaunched child, the folder trusted, no dialog", async () => {
    const start = await event("SessionStart", 0, (r) => r.event === "SessionStart");
    expect(start.stdin).toMatchObject({ hook_event_name: "SessionStart", source: "startup", cwd: repo });
    expect(Object.keys(start.stdin).sort()).toEqual(["cwd", "hook_event_name", "session_id", "source", "timestamp", "transcript_path"]);
    // The hook's parent is not the pane's process but the child Node it relaunched itself as.
    const pane = terminal?.panePid() ?? 0;
    expect(pane).toBeGreaterThan(1);
    expect(start.ppid).not.toBe(pane);
    expect(Number(readFileSync(`/proc/${start.ppid}/stat`, "utf8").split(") ")[1]?.split(" ")[1])).toBe(pane);
    pids.launcher = pane;
    pids.cli = start.ppid;
  });

  it("a text turn: BeforeAgent (the prompt) … AfterAgent (the reply) at its end; busy on screen meanwhile", async () => {
    const from = recorded().length;
    await submit("say hello #hello");
    snap("busy-running-hooks");
    // While the model is answering: the spinner line ends "(esc to cancel, Ns)".
    await terminal?.waitForScreen(/\(esc to cancel, \d+s\)/, "the busy line while the model answers");
    snap("busy");
    await terminal?.waitForScreen(/✦ Hello there\./, "the reply");
    const end = await event("AfterAgent", from, (r) => r.event === "AfterAgent");
    expect(end.stdin).toMatchObject({ prompt: "say hello #hello", stop_hook_active: false });
    // 0.61.0 joins the streamed chunks' texts with a space and repeats the last: "Hello there. there.".
    expect(String(end.stdin.prompt_response)).toContain("Hello there.");
    await terminal?.waitForScreen(idleScreen, "the empty input box after the turn");
    snap("idle-after-text-turn");
    const turn = names().slice(from);
    expect(turn[0]).toBe("BeforeAgent");
    expect(turn.at(-1)).toBe("AfterAgent");
    expect(turn).toEqual(expect.arrayContaining(["BeforeModel", "BeforeToolSelection", "AfterModel"]));
  });

  it("a shell command: BeforeTool, then the dialog with Notification ToolPermission naming it; Enter allows once; AfterTool; AfterAgent", async () => {
    const from = recorded().length;
    await submit("make a file #touch");
    const screen = await terminal?.waitForScreen(shellDialog, "the shell permission dialog");
    snap("shell-dialog");
    expect(screen).toContain("│ ? Shell  touch made-by-gemini.txt");
    const before = await event("BeforeTool", from, (r) => r.event === "BeforeTool");
    expect(before.stdin).toMatchObject({ tool_name: "run_shell_command", tool_input: { command: "touch made-by-gemini.txt", description: "Create an empty file." } });
    const notification = await event("Notification ToolPermission", from, (r) => r.event === "Notification");
    expect(notification.stdin).toMatchObject({
      notification_type: "ToolPermission",
      message: "Tool Confirm Shell Command requires execution",
      details: { type: "exec", title: "Confirm Shell Command", command: "touch made-by-gemini.txt", rootCommand: "touch" },
    });
    expect(existsSync(join(repo, "made-by-gemini.txt"))).toBe(false);

    // Enter takes the highlighted "1. Allow once".
    await terminal?.answer(shellDialog, "Enter");
    const after = await event("AfterTool", from, (r) => r.event === "AfterTool");
    expect(after.stdin).toMatchObject({ tool_name: "run_shell_command", tool_input: { command: "touch made-by-gemini.txt" } });
    expect(existsSync(join(repo, "made-by-gemini.txt"))).toBe(true);
    await terminal?.waitForScreen(/✦ Made the file\./, "the reply after the command");
    snap("after-allow-once");
    const end = await event("AfterAgent", from, (r) => r.event === "AfterAgent");
    expect(end.stdin).toMatchObject({ prompt: "make a file #touch" });
    const turn = names().slice(from);
    expect(turn.indexOf("BeforeTool")).toBeLessThan(turn.indexOf("Notification"));
    expect(turn.indexOf("Notification")).toBeLessThan(turn.indexOf("AfterTool"));
    expect(turn.at(-1)).toBe("AfterAgent");
    await terminal?.waitForScreen(idleScreen, "the empty input box after the turn");
  });

  it("a BeforeTool hook answering allow does not approve: the dialog still waits, Notification still fires; Esc rejects", async () => {
    const from = recorded().length;
    await submit("make another #hook-allow");
    await event("the allow hook's answer", 0, () => existsSync(allowMarker));
    // The BeforeTool hooks have all answered before the dialog is shown (Notification comes after them).
    const notification = await event("Notification ToolPermission", from, (r) => r.event === "Notification");
    expect(notification.stdin).toMatchObject({ notification_type: "ToolPermission", details: { type: "exec", command: "touch hook-says-allow.txt", rootCommand: "touch" } });
    const screen = await terminal?.waitForScreen(shellDialog, "the dialog despite the hook's allow");
    snap("dialog-after-hook-allow");
    expect(screen).toContain("touch hook-says-allow.txt");
    expect(existsSync(join(repo, "hook-says-allow.txt"))).toBe(false);

    await terminal?.answer(shellDialog, "Escape");
    await terminal?.waitForScreen(idleScreen, "the empty input box after Esc");
    snap("after-escape");
    expect(existsSync(join(repo, "hook-says-allow.txt"))).toBe(false);
    // No model request answers a rejection: the turn ends where it stood.
    expect(server?.requests.some((r) => r.answered === "4")).toBe(false);
  });

  it("/quit: SessionEnd (reason exit) and the CLI exits", async () => {
    const from = recorded().length;
    await terminal?.waitForScreen(idleScreen, "the empty input box");
    terminal?.type("/quit");
    await terminal?.waitForScreen(/ > \/quit\n/, "/quit typed");
    await waitFor(
      () => {
        if (terminal?.exited() === true) return true;
        if (terminal?.screen().includes(" > /quit\n") === true) terminal.press("Enter");
        return false;
      },
      "Gemini CLI to exit on /quit",
      { timeoutMs: 60_000, intervalMs: 1_000, describe: explain },
    );
    snap("after-quit");
    const end = await event("SessionEnd", from, (r) => r.event === "SessionEnd");
    expect(end.stdin).toMatchObject({ hook_event_name: "SessionEnd", reason: "exit" });
    // 0.61.0 sends it more than once on one exit (2 or 3 times seen): every copy names the same session.
    const ends = recorded().slice(from).filter((r) => r.event === "SessionEnd");
    expect(new Set(ends.map((r) => `${String(r.stdin.session_id)} ${String(r.stdin.reason)}`)).size).toBe(1);
    // Every hook of the session ran as a child of the relaunched CLI, and all name one session.
    const all = recorded();
    expect(all.filter((r) => r.ppid !== pids.cli).map((r) => r.event)).toEqual([]);
    expect(new Set(all.map((r) => r.stdin.session_id)).size).toBe(1);
    const rejectedTurn = recorded().slice(0, from);
    // What the rejected turn sent after its Notification (kept for the README; asserted loosely: no AfterTool).
    const lastNotification = rejectedTurn.findLastIndex((r) => r.event === "Notification");
    expect(rejectedTurn.slice(lastNotification).map((r) => r.event)).not.toContain("AfterTool");
  });
});
