// `otto-tray hook` as Claude Code runs it (the built CLI, a real process): every fixture event, transcripts, and hostile input.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Envelope, HeartbeatPayload } from "../../core/bus/envelope";
import { CLI_BIN, FIXTURES, REPO_ROOT, runCli, type CliResult } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const CC = join(FIXTURES, "claude-code");
const EVENTS = join(CC, "hook-events");
const SESSION = "9a1f3c2e-5b7d-4e60-8c21-0f4e6d2b1a99";
// The recorded events' working directory, which every heartbeat carries.
const CWD = "/Users/dev/.zeta-worktrees/Zeta/otto-cli/sidetick-1";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

interface Setup {
  bus: string;
  home: string;
}
function setup(): Setup {
  const root = makeTempDir("otto-hook-");
  return { bus: join(root, "bus"), home: join(root, "home") };
}

function hook(s: Setup, input: string, extra: string[] = []): CliResult {
  return runCli(["hook", "--surface", "otto-cli", "--pid", "4242", "--bus-dir", s.bus, "--home", s.home, ...extra], { input });
}

function envelopes(bus: string): Envelope<HeartbeatPayload>[] {
  if (!existsSync(bus)) return [];
  return readdirSync(bus)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(bus, name), "utf8")) as Envelope<HeartbeatPayload>);
}

function logLines(home: string): { level: string; message: string; event?: string }[] {
  const file = join(home, "logs", "hook.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { level: string; message: string });
}

function expectSilentSuccess(result: CliResult): void {
  expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
}

function eventWith(file: string, changes: Record<string, unknown>): string {
  return JSON.stringify({ ...(JSON.parse(readFileSync(join(EVENTS, file), "utf8")) as object), ...changes });
}

const EXPECTED: Record<string, Partial<HeartbeatPayload> | null> = {
  "session-start.json": { status: "idle", event: "SessionStart", note: "startup" },
  "user-prompt-submit.json": { status: "working", event: "UserPromptSubmit" },
  "pre-tool-use.json": { status: "working", event: "PreToolUse", note: "Bash" },
  "post-tool-use.json": { status: "working", event: "PostToolUse", note: "Bash" },
  "stop.json": { status: "idle", event: "Stop" },
  "notification-permission-prompt.json": { status: "alive", event: "Notification", waiting: "permission_prompt: Claude needs your permission to use Bash" },
  "notification-idle-prompt.json": { status: "idle", event: "Notification" },
  "session-end.json": { status: "idle", event: "SessionEnd", note: "prompt_input_exit" },
  "permission-request.json": { status: "alive", event: "PermissionRequest", waiting: "permission for Bash: npm test" },
  "permission-request-destructive.json": { status: "alive", event: "PermissionRequest", waiting: "permission for Bash: rm -rf ~/" },
};

describe("otto-tray hook on every fixture event", () => {
  it("has an expectation for every fixture", () => {
    expect(readdirSync(EVENTS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (file, expected) => {
    const s = setup();
    const result = hook(s, readFileSync(join(EVENTS, file), "utf8"));
    expectSilentSuccess(result);
    const written = envelopes(s.bus);
    if (expected === null) {
      expect(written).toEqual([]);
      expect(logLines(s.home)).toEqual([]);
      return;
    }
    expect(written).toHaveLength(1);
    const [envelope] = written;
    expect(envelope).toMatchObject({ topic: "heartbeat", from: "otto-cli", to: "*" });
    expect(envelope?.payload).toMatchObject({ ...expected, sessionId: SESSION, pid: 4242 });
    expect(["alive", "idle", "working"]).toContain(envelope?.payload.status);
    // The fixture's transcript path does not exist here: Stop logs that and leaves briefAck out.
    if (file === "stop.json") expect(envelope?.payload).not.toHaveProperty("briefAck");
  });
});

describe("Stop with a transcript", () => {
  it.each([
    ["transcript-brief-ack.jsonl", true],
    ["transcript-working.jsonl", false],
  ])("%s → briefAck %s", (transcript, briefAck) => {
    const s = setup();
    expectSilentSuccess(hook(s, eventWith("stop.json", { transcript_path: join(CC, transcript) })));
    expect(envelopes(s.bus).map((e) => e.payload)).toEqual([{ status: "idle", event: "Stop", sessionId: SESSION, pid: 4242, briefAck, transcriptPath: join(CC, transcript), cwd: CWD }]);
    expect(logLines(s.home)).toEqual([]);
  });

  it("uses last_assistant_message when Stop fires before the final line reaches the transcript", () => {
    const s = setup();
    const lagging = join(makeTempDir(), "lagging.jsonl");
    writeFileSync(lagging, readFileSync(join(CC, "transcript-brief-ack.jsonl"), "utf8").trimEnd().split("\n").slice(0, -1).join("\n") + "\n");
    expectSilentSuccess(hook(s, eventWith("stop.json", { transcript_path: lagging, last_assistant_message: "Idle — no change." })));
    expect(envelopes(s.bus)[0]?.payload.briefAck).toBe(true);
  });

  it("takes briefAckMaxChars from the preferences file", () => {
    const s = setup();
    const config = join(makeTempDir(), "prefs.json");
    writeFileSync(config, JSON.stringify({ briefAckMaxChars: 5 }));
    expectSilentSuccess(hook(s, eventWith("stop.json", { transcript_path: join(CC, "transcript-brief-ack.jsonl") }), ["--config", config]));
    expect(envelopes(s.bus)[0]?.payload.briefAck).toBe(false);
  });

  it("falls back to the defaults when the preferences file is invalid, and logs it", () => {
    const s = setup();
    mkdirSync(s.home, { recursive: true });
    writeFileSync(join(s.home, "preferences.json"), "{ not json");
    expectSilentSuccess(hook(s, eventWith("stop.json", { transcript_path: join(CC, "transcript-brief-ack.jsonl") })));
    expect(envelopes(s.bus)[0]?.payload.briefAck).toBe(true);
    expect(logLines(s.home).some((l) => l.message.includes("preferences unusable"))).toBe(true);
  });
});

describe("otto-tray hook stays silent and exits 0", () => {
  it.each([
    ["empty stdin", ""],
    ["garbage", "\u0000\u00ff not json at all {{{"],
    ["a JSON array", "[1,2,3]"],
    ["no event name", '{"session_id":"x"}'],
    ["huge garbage", "x".repeat(3 * 1024 * 1024)],
  ])("%s: nothing written, error logged", (_name, input) => {
    const s = setup();
    expectSilentSuccess(hook(s, input));
    expect(envelopes(s.bus)).toEqual([]);
    expect(logLines(s.home).some((l) => l.level === "error")).toBe(true);
  });

  it("a huge PostToolUse still publishes from the event's head", () => {
    const s = setup();
    expectSilentSuccess(hook(s, eventWith("post-tool-use.json", { tool_response: { stdout: "y".repeat(3 * 1024 * 1024) } })));
    expect(envelopes(s.bus).map((e) => e.payload)).toEqual([{ status: "working", event: "PostToolUse", sessionId: SESSION, pid: 4242, note: "Bash", transcriptPath: expect.any(String), cwd: CWD }]);
    expect(logLines(s.home).map((l) => l.level)).toEqual(["warn"]);
  });

  it.each([
    ["a bus dir that is a regular file", (root: string) => (writeFileSync(join(root, "bus-file"), "x"), join(root, "bus-file"))],
    ["a bus dir under a regular file", (root: string) => (writeFileSync(join(root, "plain"), "x"), join(root, "plain", "bus"))],
  ])("%s: nothing written, error logged", (_name, makeBus) => {
    const root = makeTempDir();
    const s = { bus: makeBus(root), home: join(root, "home") };
    expectSilentSuccess(hook(s, readFileSync(join(EVENTS, "post-tool-use.json"), "utf8")));
    expect(logLines(s.home)).toMatchObject([{ level: "error", event: "PostToolUse" }]);
    // Nothing beside the log: no bus directory, no temporary envelope, the blocking file unchanged.
    expect(readdirSync(root).filter((n) => n !== "home")).toHaveLength(1);
    expect(readFileSync(join(root, readdirSync(root).find((n) => n !== "home") ?? ""), "utf8")).toBe("x");
  });

  it("an unwritable log as well: still silent", () => {
    const root = makeTempDir();
    writeFileSync(join(root, "plain"), "x");
    const s = { bus: join(root, "plain", "bus"), home: join(root, "plain", "home") };
    expectSilentSuccess(hook(s, readFileSync(join(EVENTS, "post-tool-use.json"), "utf8")));
  });

  it.each([
    ["a bad --surface", ["hook", "--surface", "Not An Id"]],
    ["no --surface", ["hook"]],
    ["unknown options and positionals", ["hook", "--surface", "otto-cli", "--frobnicate", "extra"]],
    ["an invalid --pid", ["hook", "--surface", "otto-cli", "--pid", "$PPID"]],
  ])("%s", (name, args) => {
    const s = setup();
    const result = runCli([...args, "--bus-dir", s.bus, "--home", s.home], { input: readFileSync(join(EVENTS, "pre-tool-use.json"), "utf8") });
    expectSilentSuccess(result);
    const published = envelopes(s.bus);
    if (name.includes("surface")) {
      expect(published).toEqual([]);
      expect(logLines(s.home)[0]?.message).toMatch(/--surface/);
    } else {
      expect(published).toHaveLength(1);
      expect(published[0]?.payload).not.toHaveProperty("pid");
    }
  });

  it("a stdin that never closes: gives up at the deadline and publishes what it read", async () => {
    const s = setup();
    const child = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--bus-dir", s.bus, "--home", s.home], {
      env: { ...process.env, OTTO_TRAY_HOOK_TIMEOUT_MS: "300" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdin.write(readFileSync(join(EVENTS, "user-prompt-submit.json")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(output).toBe("");
    expect(envelopes(s.bus).map((e) => e.payload.event)).toEqual(["UserPromptSubmit"]);
    expect(logLines(s.home)[0]?.message).toMatch(/did not close/);
  });

  it("a transcript that is unreadable: Stop still publishes, without briefAck", () => {
    const s = setup();
    const dir = makeTempDir();
    chmodSync(dir, 0o700);
    expectSilentSuccess(hook(s, eventWith("stop.json", { transcript_path: dir })));
    expect(envelopes(s.bus)[0]?.payload).toEqual({ status: "idle", event: "Stop", sessionId: SESSION, pid: 4242, transcriptPath: dir, cwd: CWD });
    expect(logLines(s.home)).toMatchObject([{ level: "warn", event: "Stop" }]);
  });
});
