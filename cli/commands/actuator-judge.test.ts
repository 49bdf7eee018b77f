// `otto-tray actuator judge`: the built CLI says, command by command, what the actuator would do with a text, and
// exits 5 when it would refuse; the preferences' allowlist and blocklist (--config) apply, and a broken section refuses.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

interface Judgement {
  mode: string;
  projectDir: string | null;
  verdict: string;
  reason: string;
  commands: { source: string; argv: string[]; program: string | null; via: string[]; verdict: string; reason: string }[];
}

function judge(args: string[], options: { input?: string; config?: unknown } = {}) {
  const home = makeTempDir("otto-judge-home-");
  const project = makeTempDir("otto-judge-project-");
  const extra: string[] = [];
  if (options.config !== undefined) {
    const file = join(home, "prefs.json");
    writeFileSync(file, typeof options.config === "string" ? options.config : JSON.stringify(options.config));
    extra.push("--config", file);
  }
  return runCli(["actuator", "judge", "--home", home, "--cwd", project, ...extra, ...args], options.input === undefined ? {} : { input: options.input });
}

const json = (stdout: string) => JSON.parse(stdout) as Judgement;

describe("otto-tray actuator judge", () => {
  it("refuses the comment-and-newline trick in manual mode, naming rm (exit 5)", () => {
    const result = judge(["--", "npm test # run the tests\nrm -rf ~/important"]);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(/refused \(unjudgeable\)/);
    expect(result.stdout).toContain('"rm -rf ~/important"');
  });

  it("names every command and the program that runs: npm is allowed, rm blocked, and the text refused", () => {
    const result = judge(["--json", "--", "npm test; rm -rf /"]);
    expect(result.code).toBe(5);
    const view = json(result.stdout);
    expect(view).toMatchObject({ mode: "manual", verdict: "blocked" });
    expect(view.commands.map((c) => [c.program, c.verdict])).toEqual([
      ["npm", "allowed"],
      ["rm", "blocked"],
    ]);
    expect(view.commands[1]?.reason).toMatch(/rm/);
  });

  it("in auto mode refuses git diff writing outside the project, and answers npm test", () => {
    const outside = judge(["--auto", "--", "git diff --output=/tmp/x"]);
    expect(outside.code).toBe(5);
    expect(outside.stdout).toMatch(/blocked.*outside the project/);
    const tests = judge(["--auto", "--", "npm test"]);
    expect(tests.code).toBe(0);
    expect(tests.stdout).toMatch(/^would answer/);
    expect(tests.stdout).toMatch(/runs npm: allowed/);
  });

  it("reads the text from stdin when none is given, and says how to give one when stdin is empty", () => {
    const piped = judge(["--auto", "--json"], { input: "npm test\n" });
    expect(piped.code).toBe(0);
    expect(json(piped.stdout)).toMatchObject({ mode: "auto", verdict: "allowed", commands: [{ source: "npm test", argv: ["npm", "test"], program: "npm", via: [] }] });
    const empty = judge([], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no command to judge/);
  });

  it("--json gives the mode, the project, the verdict and each command with argv, program, runners and reason", () => {
    const result = judge(["--auto", "--json", "--", "npx vitest run"]);
    const view = json(result.stdout);
    expect(Object.keys(view).sort()).toEqual(["commands", "mode", "projectDir", "reason", "verdict"]);
    expect(view.projectDir).toMatch(/otto-judge-project-/);
    for (const command of view.commands) expect(Object.keys(command).sort()).toEqual(["argv", "program", "reason", "source", "verdict", "via"]);
  });

  it("shows a hostile text with an ESC safely: refused, every control character made visible, none written raw", () => {
    const result = judge(["--", "echo hi\u001b]0;owned\u0007\u001b[2J\u202e"]);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain("⟨U+001B⟩]0;owned⟨U+0007⟩⟨U+001B⟩[2J⟨U+202E⟩");
    // eslint-disable-next-line no-control-regex -- checking that none reach the terminal
    expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it("uses the preferences' blocklist and allowlist templates (--config), old string entries converted", () => {
    const config = { actuator: { blocklist: ["make clean"], autoAllowlist: ["make test", { program: "cargo", subcommand: ["fmt"], options: { "--check": "flag" } }] } };
    expect(judge(["--", "make clean"], { config }).stdout).toMatch(/your blocklist entry "make clean"/);
    expect(judge(["--auto", "--", "make test"], { config }).code).toBe(0);
    expect(judge(["--auto", "--", "cargo fmt --check"], { config }).code).toBe(0);
    // The default allowlist is replaced, not added to.
    expect(judge(["--auto", "--", "npm test"], { config }).code).toBe(5);
  });

  it("refuses every text while the actuator section is invalid, naming the field (never the wider defaults)", () => {
    const result = judge(["--", "npm test"], { config: { actuator: { blocklist: "rm" } } });
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(/refused \(blocked\): the actuator preferences cannot be used.*actuator\.blocklist/);
    const notJson = judge(["--", "npm test"], { config: "{ actuator: " });
    expect(notJson.code).toBe(5);
    expect(notJson.stdout).toMatch(/not valid JSON/);
  });

  it("rejects a --cwd that does not exist, and --auto on another actuator command", () => {
    expect(runCli(["actuator", "judge", "--cwd", "/no/such/dir", "--", "npm test"]).stderr).toMatch(/--cwd: \/no\/such\/dir does not exist/);
    expect(runCli(["actuator", "status", "--auto", "--home", makeTempDir()]).code).toBe(2);
  });
});
