// `otto-tray hooks install|uninstall` on real settings files (the built CLI as a process).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "../../core/hooks/map";
import { CLI_BIN, REPO_ROOT, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

const EXISTING = `{
    "model": "opus",
    "permissions": { "allow": ["Bash(npm test:*)"], "deny": [] },
    "hooks": {
        "PreToolUse": [
            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/guard.sh", "timeout": 5 } ] }
        ],
        "Stop": [ { "hooks": [ { "type": "command", "command": "say done" } ] } ],
        "PreCompact": [ { "matcher": "auto", "hooks": [ { "type": "command", "command": "backup.sh" } ] } ]
    },
    "env": { "FOO": "bar" },
    "statusLine": { "type": "command", "command": "~/bin/status.sh" }
}
`;

interface Result {
  action: string;
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
  backup: string | null;
  command: string | null;
  settingsFile: string;
}

function hooks(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string; json?: Result } {
  const result = runCli(["hooks", ...args], { env });
  const json = args.includes("--json") && result.code === 0 ? (JSON.parse(result.stdout) as Result) : undefined;
  return json === undefined ? result : { ...result, json };
}

function settingsFile(content = EXISTING, mode = 0o640): string {
  const file = join(makeTempDir("otto-hooks-"), "settings.json");
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const parse = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { hooks: Record<string, { matcher?: string; hooks: { command: string }[] }[]> } & Record<string, unknown>;

describe("hooks install", () => {
  it("merges into a settings.json that already has hooks and other keys", () => {
    const file = settingsFile();
    const original = JSON.parse(EXISTING) as Record<string, unknown>;
    const { code, json, stderr } = hooks(["install", "--surface", "otto-cli", "--settings", file, "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(json).toMatchObject({ action: "install", changed: true, backup: `${file}.otto-tray.bak` });
    expect(json?.added).toEqual([...HANDLED_EVENTS]);
    expect(json?.command).toBe(`${process.execPath} ${join(REPO_ROOT, "bin", "otto-tray")} hook --surface otto-cli --pid "$PPID"`);

    const after = parse(file);
    for (const key of ["model", "permissions", "env", "statusLine"]) expect(after[key]).toEqual(original[key]);
    const before = original.hooks as typeof after.hooks;
    expect(after.hooks.PreToolUse?.[0]).toEqual(before.PreToolUse?.[0]);
    expect(after.hooks.PreToolUse?.[1]?.matcher).toBe("*");
    expect(after.hooks.Stop?.[0]).toEqual(before.Stop?.[0]);
    expect(after.hooks.PreCompact).toEqual(before.PreCompact);
    expect(readFileSync(`${file}.otto-tray.bak`, "utf8")).toBe(EXISTING);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // Formatting follows the original's indentation.
    expect(readFileSync(file, "utf8")).toMatch(/^\{\n {4}"model"/);
  });

  it("is idempotent: a second install leaves the file as it is", () => {
    const file = settingsFile();
    hooks(["install", "--surface", "otto-cli", "--settings", file]);
    const once = readFileSync(file, "utf8");
    const mtime = statSync(file).mtimeMs;
    const second = hooks(["install", "--surface", "otto-cli", "--settings", file, "--json"]);
    expect(second.json).toMatchObject({ changed: false, added: [], updated: [], backup: null });
    expect(readFileSync(file, "utf8")).toBe(once);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readFileSync(`${file}.otto-tray.bak`, "utf8")).toBe(EXISTING);
  });

  it("re-installing with another command replaces only its own entries", () => {
    const file = settingsFile();
    hooks(["install", "--surface", "otto-cli", "--settings", file]);
    const first = readFileSync(file, "utf8");
    const { json } = hooks(["install", "--surface", "otto-cli", "--settings", file, "--command", "/opt/otto/bin/otto-tray", "--json"]);
    expect(json?.updated).toHaveLength(HANDLED_EVENTS.length);
    expect(json?.added).toEqual([]);
    const quotedOld = JSON.stringify(`${process.execPath} ${join(REPO_ROOT, "bin", "otto-tray")}`).slice(1, -1);
    expect(readFileSync(file, "utf8")).toBe(first.split(quotedOld).join("/opt/otto/bin/otto-tray"));
  });

  it("passes the global options on as absolute paths, and the command really runs", () => {
    const dir = makeTempDir();
    const file = join(dir, "settings.json");
    const bus = join(dir, "bus");
    hooks(["install", "--surface", "otto-cli", "--settings", file, "--bus-dir", bus, "--home", join(dir, "home")]);
    const command = parse(file).hooks.PostToolUse?.[0]?.hooks[0]?.command ?? "";
    expect(command).toContain(`--bus-dir ${bus}`);
    // Run it the way Claude Code does: through sh, with the event on stdin.
    const run = spawnSync("/bin/sh", ["-c", command], { input: '{"hook_event_name":"PostToolUse","tool_name":"Read"}', encoding: "utf8" });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
    const [name] = readdirSync(bus);
    const published = JSON.parse(readFileSync(join(bus, name ?? ""), "utf8")) as { payload: { pid?: number; note?: string } };
    expect(published.payload.note).toBe("Read");
    expect(typeof published.payload.pid).toBe("number");
  });

  it("creates a missing file (and its directory) under $HOME/.claude by default", () => {
    const home = makeTempDir();
    const { code, stdout } = hooks(["install", "--surface", "otto-cli"], { HOME: home, CLAUDE_CONFIG_DIR: "" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/installed in .*\.claude\/settings\.json/);
    const file = join(home, ".claude", "settings.json");
    expect(Object.keys(parse(file).hooks)).toHaveLength(HANDLED_EVENTS.length);
    expect(existsSync(`${file}.otto-tray.bak`)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes through a symlinked settings file", () => {
    const dir = makeTempDir();
    const real = join(dir, "dotfiles-settings.json");
    writeFileSync(real, EXISTING);
    mkdirSync(join(dir, ".claude"));
    const link = join(dir, ".claude", "settings.json");
    symlinkSync(real, link);
    expect(hooks(["install", "--surface", "otto-cli", "--settings", link]).code).toBe(0);
    expect(statSync(link).isFile()).toBe(true);
    expect(parse(real).hooks.SessionStart).toHaveLength(1);
  });
});

describe("hooks uninstall", () => {
  it("removes exactly what install added and restores the original structure", () => {
    const file = settingsFile();
    hooks(["install", "--surface", "otto-cli", "--settings", file]);
    hooks(["install", "--surface", "otto-desktop", "--settings", file]);
    const { json } = hooks(["uninstall", "--surface", "otto-cli", "--settings", file, "--json"]);
    expect(json?.removed).toHaveLength(HANDLED_EVENTS.length);
    hooks(["uninstall", "--surface", "otto-desktop", "--settings", file]);
    expect(parse(file)).toEqual(JSON.parse(EXISTING));
    expect(JSON.stringify(parse(file))).toBe(JSON.stringify(JSON.parse(EXISTING)));
    const again = hooks(["uninstall", "--surface", "otto-cli", "--settings", file]);
    expect(again.stdout).toMatch(/nothing changed/);
  });

  it("does not create a missing file", () => {
    const file = join(makeTempDir(), "settings.json");
    expect(hooks(["uninstall", "--surface", "otto-cli", "--settings", file]).code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe("hooks refuses", () => {
  it.each([
    ["invalid JSON", '{ "hooks": { '],
    ["a JSON array", "[]"],
    ["hooks that are not an object", '{ "hooks": [] }'],
  ])("%s: exit 2, file untouched", (_name, content) => {
    const file = settingsFile(content);
    const result = hooks(["install", "--surface", "otto-cli", "--settings", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/left untouched/);
    expect(readFileSync(file, "utf8")).toBe(content);
    expect(existsSync(`${file}.otto-tray.bak`)).toBe(false);
  });

  it("a read-only settings file (mode 0444): exit 2, one line saying so and what to do, file and mode untouched", () => {
    const file = settingsFile(EXISTING, 0o444);
    // Run by root too, where the mode does not stop a write: the refusal reads the mode bits.
    const result = hooks(["install", "--surface", "otto-cli", "--settings", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([`otto-tray hooks install: ${file} is read-only (mode 0444), left untouched; make it writable (chmod u+w ${file}) to let otto-tray add its hooks`]);
    expect(readFileSync(file, "utf8")).toBe(EXISTING);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(existsSync(`${file}.otto-tray.bak`)).toBe(false);
    // Through a link to it as well; and uninstall refuses the same way once there is something to remove.
    const link = join(makeTempDir("otto-hooks-"), "settings.json");
    symlinkSync(file, link);
    expect(hooks(["install", "--surface", "otto-cli", "--settings", link]).stderr).toMatch(/is read-only \(mode 0444\), left untouched/);
    chmodSync(file, 0o644);
    expect(hooks(["install", "--surface", "otto-cli", "--settings", file]).code).toBe(0);
    chmodSync(file, 0o444);
    const uninstall = hooks(["uninstall", "--surface", "otto-cli", "--settings", file]);
    expect(uninstall.code).toBe(2);
    expect(uninstall.stderr).toMatch(/make it writable \(chmod u\+w .*\) to let otto-tray remove its hooks/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("a dangling symlink at the settings path: exit 2, one line naming the missing target, link kept, target not created", () => {
    const dir = makeTempDir("otto-hooks-");
    const target = join(dir, "dotfiles", "claude-settings.json");
    const link = join(dir, "settings.json");
    symlinkSync(target, link);
    const result = hooks(["install", "--surface", "otto-cli", "--settings", link], { CLAUDE_CONFIG_DIR: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `otto-tray hooks install: ${link} is a symbolic link to ${target}, which does not exist; left untouched; create ${target} (it may hold just {}) or remove the link, then run this again`,
    ]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(false);
    // The default path ($CLAUDE_CONFIG_DIR/settings.json) is refused the same way.
    expect(hooks(["install", "--surface", "otto-cli"], { CLAUDE_CONFIG_DIR: dir }).code).toBe(2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, "dotfiles"))).toBe(false);
    expect(existsSync(`${link}.otto-tray.bak`)).toBe(false);
  });

  it("a FIFO at the settings path: exit 2 at once instead of waiting for a writer (install and status)", () => {
    const file = join(makeTempDir("otto-hooks-"), "settings.json");
    if (spawnSync("mkfifo", [file]).status !== 0) return; // no mkfifo here
    const install = hooks(["install", "--surface", "otto-cli", "--settings", file]);
    expect({ code: install.code, stderr: install.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`${file} is not a regular file; left untouched`) as unknown });
    expect(lstatSync(file).isFIFO()).toBe(true);
    expect(hooks(["status", "--settings", file]).code).toBe(2);
  });

  it("a settings file that cannot be written: exit 1 with a message", () => {
    const root = makeTempDir();
    writeFileSync(join(root, "plain"), "x");
    const result = hooks(["install", "--surface", "otto-cli", "--settings", join(root, "plain", "settings.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot (read|write)/);
  });

  it.each([
    [["install"]],
    [["install", "--surface", "Bad Id"]],
    [["frob", "--surface", "otto-cli"]],
    [[]],
    [["uninstall", "--surface", "otto-cli", "--command", "x"]],
  ])("bad arguments %j: exit 2 with a message", (args) => {
    const result = runCli(["hooks", ...args, "--settings", join(makeTempDir(), "s.json")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/otto-tray hooks( [a-z]+)?: /);
  });

  it("prints its usage with --help", () => {
    expect(runCli(["hooks", "--help"]).stdout).toMatch(/^usage: otto-tray hooks install/);
    expect(CLI_BIN).toContain("bin/otto-tray");
  });
});
