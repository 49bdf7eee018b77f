// The real Codex CLI 0.171.0 in a real terminal (tmux), offline against a scripted Responses server: what its hooks send, its approval dialog, and a hook that answers it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../cli";
import { CODEX_HOOK_EVENTS, findCodex, prepareCodexHome, processesUnder, SKIP_CODEX_ENV } from "../codex";
import { git, GIT_TEST_ENV } from "../git";
import { startResponsesServer, type ResponsesServer, type ResponsesTurn } from "../responses-server";
import { makeTempDir } from "../temp";
import { Terminal, waitFor } from "../terminal";

const found = findCodex();
// Missing install: fail loudly (CI runs ./scripts/setup --tests), unless a developer opted out explicitly (never under CI).
const skip = "missing" in found && process.env[SKIP_CODEX_ENV] === "1" && !process.env.CI;
/** Set to 1 to rewrite the recordings in fixtures/codex-real from this run (then read the diff). */
const RECORD = process.env.OTTO_TRAY_RECORD_CODEX === "1";
const FIXTURES = join(REPO_ROOT, "test-support", "fixtures", "codex-real");
const RECORDER = join(REPO_ROOT, "test-support", "codex-hook-recorder.mjs");

const COMMAND = "echo hi > x.txt";
const REASON = "Do you want to write x.txt?";
const SCRIPT: ResponsesTurn[] = [
  { match: "#hello", text: "Hello there." },
  // on-request asks the person only when the model asks to leave the sandbox.
  { match: "#write", call: { name: "exec_command", arguments: { cmd: COMMAND, sandbox_permissions: "require_escalated", justification: REASON } } },
  { text: "Done: x.txt written." },
];
const ALLOW = JSON.stringify({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } });
const DENY_MESSAGE = "Otto Tray: writing x.txt is not allowed here";
const DENY = JSON.stringify({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: DENY_MESSAGE } } });
const DIALOG = /Would you like to run the following command\?/;
const IDLE = /› Ask Codex to do anything[\s\S]*\? for shortcuts/;

/** One hook call as the recorder wrote it. */
interface Recorded {
  at: number;
  ppid: number;
  parent: string;
  stdin: Record<string, unknown> & { hook_event_name?: string };
}

/** One Codex session in its own temp dir: a throwaway repo, CODEX_HOME, scripted server, terminal. */
interface Session {
  root: string;
  repo: string;
  codexHome: string;
  configFile: string;
  server: ResponsesServer;
  terminal: Terminal;
  startedAt: number;
  events(): Recorded[];
}

const sessions: Session[] = [];

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Processes this session may have left (see processesUnder). */
function processesOf(session: Session): { pid: number; cmd: string }[] {
  return processesUnder(session.root, session.codexHome);
}

async function startSession(name: string, permissionReply?: string): Promise<Session> {
  if ("missing" in found) throw new Error(found.missing);
  const root = makeTempDir(`otto-real-codex-${name}-`);
  const repo = join(root, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
  writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "init"]);
  const eventsFile = join(root, "events.jsonl");
  const server = await startResponsesServer(SCRIPT);
  const record = `${shellQuote(process.execPath)} ${shellQuote(RECORDER)} ${shellQuote(eventsFile)}`;
  const hooks = CODEX_HOOK_EVENTS.map((event) => ({ event, command: event === "PermissionRequest" && permissionReply !== undefined ? `${record} ${shellQuote(permissionReply)}` : record }));
  const home = prepareCodexHome({ root, cwd: repo, baseUrl: server.baseUrl, hooks });
  // exec: the pane's process is Codex itself. --dangerously-bypass-hook-trust runs the hooks without the trust review
  // (and Codex then runs embedded, without its app-server daemon); --no-daemon says so explicitly.
  const terminal = Terminal.start({ dir: root, command: `exec ${shellQuote(found.bin)} --dangerously-bypass-hook-trust --no-daemon`, cwd: repo, env: home.env });
  const events = (): Recorded[] =>
    existsSync(eventsFile)
      ? readFileSync(eventsFile, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Recorded)
      : [];
  const session: Session = { root, repo, codexHome: home.codexHome, configFile: home.configFile, server, terminal, startedAt: Date.now(), events };
  sessions.push(session);
  await terminal.waitForScreen(IDLE, "Codex's idle prompt", 90_000);
  return session;
}

const names = (session: Session) => session.events().map((e) => e.stdin.hook_event_name);
const explain = (session: Session) => () => `events: ${names(session).join(", ")}\nrequests: ${session.server.requests.map((r) => `${r.path}:${r.answered}`).join(", ")}\nscreen:\n${session.terminal.screen()}`;

/** Waits until `count` events named `event` were recorded; returns the last. */
function waitForEvent(session: Session, event: string, count = 1, timeoutMs = 60_000): Promise<Recorded> {
  return waitFor(() => {
    const matching = session.events().filter((e) => e.stdin.hook_event_name === event);
    return matching.length >= count ? matching[count - 1] : undefined;
  }, `${event} #${count}`, { timeoutMs, intervalMs: 200, describe: explain(session) });
}

/** Types a prompt and submits it: Enter again while Codex has not taken it (a burst of typed keys may read as a paste). */
async function submit(session: Session, text: string): Promise<void> {
  const before = names(session).filter((n) => n === "UserPromptSubmit").length;
  session.terminal.type(text);
  await session.terminal.waitForScreen(new RegExp(`› ${text}`), "the typed prompt");
  await waitFor(() => {
    if (names(session).filter((n) => n === "UserPromptSubmit").length > before) return true;
    if (session.terminal.screen().includes(`› ${text}`)) session.terminal.press("Enter");
    return false;
  }, `UserPromptSubmit for ${JSON.stringify(text)}`, { timeoutMs: 60_000, intervalMs: 1_500, describe: explain(session) });
}

/** Exits the way a person does (Ctrl-C on an empty prompt ends 0.171.0 at once) and waits for SessionEnd. */
async function exitCodex(session: Session): Promise<Recorded> {
  await waitFor(() => {
    if (session.terminal.exited()) return true;
    session.terminal.press("C-c");
    return false;
  }, "Codex to exit", { timeoutMs: 30_000, intervalMs: 1_000, describe: explain(session) });
  return waitForEvent(session, "SessionEnd");
}

/** The recordings with the temp dir's path replaced by a neutral one. */
function normalised(session: Session, text: string): string {
  return text.replaceAll(session.root, "/tmp/otto-codex");
}

function sortedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).sort();
}

/** Each event's field names, as recorded (or checked against the recording when not recording). */
function checkFields(session: Session, file: string): void {
  const fields: Record<string, string[]> = {};
  for (const { stdin } of session.events()) fields[String(stdin.hook_event_name)] = sortedKeys(stdin);
  const path = join(FIXTURES, file);
  if (RECORD) {
    writeFileSync(path, `${JSON.stringify(fields, null, 2)}\n`);
    return;
  }
  // A different Codex version may send other fields: this names the event and the fields that changed.
  expect(fields, `the hook events' fields differ from ${file} (re-record with OTTO_TRAY_RECORD_CODEX=1 and read the diff)`).toEqual(JSON.parse(readFileSync(path, "utf8")));
}

function recordFixtures(session: Session, name: string, screens: Record<string, string>): void {
  if (!RECORD) return;
  const dir = join(FIXTURES, name);
  mkdirSync(join(dir, "screens"), { recursive: true });
  const events = session.events().map((e) => ({ afterStartMs: e.at - session.startedAt, parent: e.parent, stdin: e.stdin }));
  writeFileSync(join(dir, "hooks.jsonl"), normalised(session, events.map((e) => JSON.stringify(e)).join("\n") + "\n"));
  writeFileSync(join(dir, "config.toml"), normalised(session, readFileSync(session.configFile, "utf8")).replaceAll(process.execPath, "node").replaceAll(RECORDER, "codex-hook-recorder.mjs"));
  const requests = session.server.requests.map((r) => ({ method: r.method, path: r.path, answered: r.answered, lastUser: r.lastUser.slice(0, 200), lastToolOutput: r.lastToolOutput, tools: Array.isArray(r.body?.tools) ? r.body.tools.length : undefined }));
  writeFileSync(join(dir, "requests.jsonl"), normalised(session, requests.map((r) => JSON.stringify(r)).join("\n") + "\n"));
  // The transcript's shape only (its lines are long): each line's type and its payload's type.
  const transcript = session.events()[0]?.stdin.transcript_path;
  if (typeof transcript === "string" && existsSync(transcript)) {
    const shapes = readFileSync(transcript, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const entry = JSON.parse(line) as { type?: string; payload?: { type?: string; role?: string } };
        return [entry.type, entry.payload?.type, entry.payload?.role].filter((part) => part !== undefined).join(" ");
      });
    writeFileSync(join(dir, "transcript-lines.txt"), `${shapes.join("\n")}\n`);
  }
  for (const [screen, text] of Object.entries(screens)) writeFileSync(join(dir, "screens", `${screen}.txt`), normalised(session, text));
}

afterEach(async () => {
  const problems: string[] = [];
  for (const session of sessions.splice(0)) {
    await session.terminal.close();
    await session.server.close();
    // Nothing of the session may outlive it: a daemon Codex left is a bug for these tests (ended here by pid, and said).
    try {
      await waitFor(() => processesOf(session).length === 0, "the session's processes to end", { timeoutMs: 15_000, intervalMs: 300 });
    } catch {
      const left = processesOf(session);
      for (const { pid } of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      problems.push(`left running after the session (now killed): ${left.map((p) => `${p.pid} ${p.cmd}`).join("; ")}`);
    }
  }
  expect(problems).toEqual([]);
});

describe.skipIf(skip)("the real Codex CLI 0.171.0: hooks and the approval dialog", () => {
  it("records every event of a text turn and of a command the person approves in the dialog, then SessionEnd", async () => {
    const session = await startSession("person");
    const idleScreen = session.terminal.screen();
    const codexPid = session.terminal.panePid();

    await submit(session, "#hello say hi");
    const firstStop = await waitForEvent(session, "Stop");
    expect(firstStop.stdin).toMatchObject({ hook_event_name: "Stop", last_assistant_message: "Hello there.", stop_hook_active: false });

    await submit(session, "#write please write x.txt");
    const dialog = await session.terminal.waitForScreen(DIALOG, "the approval dialog");
    const request = await waitForEvent(session, "PermissionRequest");
    expect(dialog).toContain(`Reason: ${REASON}`);
    expect(dialog).toContain(`$ ${COMMAND}`);
    expect(dialog).toMatch(/› 1\. Yes, proceed \(y\)/);
    expect(dialog).toContain(`2. Yes, and don't ask again for commands that start with \`${COMMAND}\` (p)`);
    expect(dialog).toContain("3. No, and tell Codex what to do differently (esc)");
    expect(dialog).toContain("Press enter to confirm or esc to cancel");
    // The shell tool is exec_command on the wire, "Bash" to hooks; the justification comes as the description.
    expect(request.stdin).toMatchObject({ hook_event_name: "PermissionRequest", tool_name: "Bash", tool_input: { command: COMMAND, description: REASON }, permission_mode: "default", cwd: session.repo });
    expect(request.stdin).not.toHaveProperty("tool_use_id");
    expect(existsSync(join(session.repo, "x.txt"))).toBe(false);

    await session.terminal.answer(DIALOG, "y");
    const stop = await waitForEvent(session, "Stop", 2);
    expect(stop.stdin.last_assistant_message).toBe("Done: x.txt written.");
    expect(readFileSync(join(session.repo, "x.txt"), "utf8")).toBe("hi\n");
    const approvedScreen = await session.terminal.waitForScreen(/Done: x\.txt written\.[\s\S]*› Ask Codex to do anything/, "the turn's end");
    expect(approvedScreen).toContain(`✔ You approved codex to run ${COMMAND} this time`);

    const end = await exitCodex(session);
    expect(end.stdin).toMatchObject({ hook_event_name: "SessionEnd", reason: "other" });
    const exitScreen = session.terminal.screen();

    expect(names(session)).toEqual(["SessionStart", "UserPromptSubmit", "Stop", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop", "SessionEnd"]);
    const events = session.events();
    const sessionId = events[0]?.stdin.session_id;
    expect(typeof sessionId).toBe("string");
    for (const event of events) expect(event.stdin.session_id).toBe(sessionId);
    const [pre, , post] = events.slice(4, 7).map((e) => e.stdin);
    expect(pre).toMatchObject({ tool_name: "Bash", tool_input: { command: COMMAND } });
    expect(post).toMatchObject({ tool_name: "Bash", tool_input: { command: COMMAND }, tool_response: "", tool_use_id: pre?.tool_use_id });
    // Every hook is a child of the codex process itself (the pane's): no shell between them.
    expect(new Set(events.map((e) => e.parent))).toEqual(new Set(["codex"]));
    expect(new Set(events.map((e) => e.ppid))).toEqual(new Set([codexPid]));

    const tools = session.server.requests.find((r) => Array.isArray(r.body?.tools) && r.body.tools.length > 0)?.body?.tools as { name?: string; type?: string }[];
    expect(tools.map((t) => t.name ?? t.type)).toContain("exec_command");
    checkFields(session, "event-fields.json");
    recordFixtures(session, "person-answers", { idle: idleScreen, "approval-dialog": dialog, "after-yes": approvedScreen, "after-exit": exitScreen });
    if (RECORD) {
      const execCommand = tools.find((t) => t.name === "exec_command");
      writeFileSync(join(FIXTURES, "request-tools.json"), `${JSON.stringify({ toolNames: tools.map((t) => t.name ?? t.type), exec_command: execCommand }, null, 2)}\n`);
    }
  });

  it("a PermissionRequest hook that answers allow runs the command with no dialog at all", async () => {
    const session = await startSession("hook-allows", ALLOW);
    await submit(session, "#write please write x.txt");
    const stop = await waitForEvent(session, "Stop");
    expect(stop.stdin.last_assistant_message).toBe("Done: x.txt written.");
    expect(readFileSync(join(session.repo, "x.txt"), "utf8")).toBe("hi\n");
    const screen = await session.terminal.waitForScreen(/Done: x\.txt written\.[\s\S]*› Ask Codex to do anything/, "the turn's end");
    expect(screen).toContain(`Ran ${COMMAND}`);
    expect(screen).not.toMatch(DIALOG);
    expect(screen).not.toContain("You approved");
    await exitCodex(session);
    expect(names(session)).toEqual(["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop", "SessionEnd"]);
    checkFields(session, "event-fields.json");
    recordFixtures(session, "hook-allows", { "after-turn": screen });
  });

  it("a PermissionRequest hook that answers deny keeps the command from running; the model reads the message", async () => {
    const session = await startSession("hook-denies", DENY);
    await submit(session, "#write please write x.txt");
    const stop = await waitForEvent(session, "Stop");
    const screen = await session.terminal.waitForScreen(/› Ask Codex to do anything/, "the turn's end");
    expect(screen).not.toMatch(DIALOG);
    expect(screen).toMatch(new RegExp(`Blocked by hook\\n\\s*└ ${DENY_MESSAGE}`));
    expect(existsSync(join(session.repo, "x.txt"))).toBe(false);
    const followUp = session.server.requests.find((r) => r.lastToolOutput !== undefined);
    expect(followUp?.lastToolOutput).toContain(DENY_MESSAGE);
    await exitCodex(session);
    recordFixtures(session, "hook-denies", { "after-turn": screen });
    expect(stop.stdin.hook_event_name).toBe("Stop");
    expect(names(session)).toEqual(["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "Stop", "SessionEnd"]);
  });
});
