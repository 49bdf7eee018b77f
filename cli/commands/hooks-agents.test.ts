// `otto-tray hooks install/uninstall` for Codex and Gemini surfaces through the built CLI, on real files: the agent's own
// file, every byte of the person's content kept, undone exactly, and refusals that leave the file as it was.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const PERSON_TOML = `# my codex settings
model = "gpt-5"   # the one I like

[[hooks.Stop]]
[[hooks.Stop.hooks]]
type = "command"
command = "notify-send done"
`;
const PERSON_GEMINI = { general: { enableAutoUpdate: false }, hooks: { AfterAgent: [{ matcher: "*", hooks: [{ name: "mine", type: "command", command: "say done", timeout: 5000 }] }] } };

function world() {
  const root = makeTempDir("otto-agent-hooks-");
  const home = join(root, "state");
  const userHome = join(root, "user");
  mkdirSync(home);
  mkdirSync(userHome);
  const env = { HOME: userHome, CODEX_HOME: join(userHome, ".codex"), CLAUDE_CONFIG_DIR: join(userHome, ".claude") };
  const cli = (...args: string[]) => runCli([...args, "--home", home], { env });
  return { root, home, userHome, env, cli };
}

describe("hooks install for Codex and Gemini surfaces", () => {
  it("Codex: one marked block in $CODEX_HOME/config.toml, the person's TOML kept byte for byte, the trust review named, undone exactly", () => {
    const w = world();
    mkdirSync(w.env.CODEX_HOME);
    const file = join(w.env.CODEX_HOME, "config.toml");
    writeFileSync(file, PERSON_TOML);
    const installed = w.cli("hooks", "install", "--surface", "codex-main", "--agent", "codex", "--allow-new-surface");
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`Codex hooks for codex-main installed in ${file}`);
    expect(installed.stdout).toMatch(/note: Codex skips new or changed hooks until you trust them: .*Trust all and continue/);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith(PERSON_TOML)).toBe(true);
    const parsed = parse(text) as { hooks: Record<string, { hooks: { command: string; timeout: number }[] }[]> };
    const ours = parsed.hooks.PermissionRequest?.[0]?.hooks[0];
    expect(ours?.command).toMatch(/ hook --surface codex-main --pid "\$PPID" --home .* --agent codex$/);
    expect(parsed.hooks.SessionEnd?.at(-1)?.hooks[0]?.timeout).toBe(3);
    expect(readFileSync(`${file}.otto-tray.bak`, "utf8")).toBe(PERSON_TOML);
    expect(w.cli("hooks", "install", "--surface", "codex-main", "--agent", "codex", "--allow-new-surface").stdout).toContain("already installed");
    const removed = w.cli("hooks", "uninstall", "--surface", "codex-main", "--agent", "codex");
    expect(removed.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(PERSON_TOML);
  });

  it("Codex: PermissionRequest's timeout sits above the longest wait; an older, shorter one is reported outdated and updated in place", () => {
    const w = world();
    writeFileSync(join(w.home, "preferences.json"), JSON.stringify({ surfaces: [{ id: "codex-main", agent: "codex" }] }));
    expect(w.cli("hooks", "install", "--surface", "codex-main").code).toBe(0);
    const file = join(w.env.CODEX_HOME, "config.toml");
    const installed = readFileSync(file, "utf8");
    const timeouts = (text: string) => (parse(text) as { hooks: Record<string, { hooks: { timeout: number }[] }[]> }).hooks;
    expect(timeouts(installed).PermissionRequest?.[0]?.hooks[0]?.timeout).toBe(310);
    expect(timeouts(installed).Stop?.[0]?.hooks[0]?.timeout).toBe(10);
    expect(w.cli("hooks", "status").code).toBe(0);
    // As the previous version wrote it: 10 s, which would end the hook's wait for a plan after 10 s.
    const older = installed.replace(/(\[\[hooks\.PermissionRequest\.hooks\]\]\ntype = "command"\ncommand = .*\ntimeout = )310/, "$110");
    expect(older).not.toBe(installed);
    writeFileSync(file, older);
    const status = w.cli("hooks", "status");
    expect(status.code).toBe(6);
    expect(status.stdout).toContain("codex-main (Codex): out of date; run otto-tray hooks install --surface codex-main");
    expect(status.stdout).toContain("  outdated: PermissionRequest");
    expect(w.cli("hooks", "install", "--surface", "codex-main").code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(installed);
    expect(w.cli("hooks", "status").code).toBe(0);
  });

  it("Gemini: the surface's agent from the preferences, ~/.gemini/settings.json with its events, names and ms timeouts, undone exactly", () => {
    const w = world();
    writeFileSync(join(w.home, "preferences.json"), JSON.stringify({ surfaces: ["otto-cli", { id: "gem", agent: "gemini" }] }));
    mkdirSync(join(w.userHome, ".gemini"));
    const file = join(w.userHome, ".gemini", "settings.json");
    writeFileSync(file, `${JSON.stringify(PERSON_GEMINI, null, 2)}\n`);
    const before = w.cli("hooks", "status");
    expect(before.code).toBe(6);
    expect(before.stdout).toContain(`gem (Gemini CLI): not installed in ${file}; run otto-tray hooks install --surface gem`);
    const installed = w.cli("hooks", "install", "--surface", "gem", "--json");
    expect(installed.code, installed.stderr).toBe(0);
    const result = JSON.parse(installed.stdout) as { agent: string; settingsFile: string; events: string[]; note: string };
    expect(result).toMatchObject({ agent: "gemini", settingsFile: file, events: ["SessionStart", "BeforeAgent", "BeforeTool", "AfterTool", "Notification", "AfterAgent", "SessionEnd"] });
    expect(result.note).toMatch(/cannot answer its prompts/);
    const settings = JSON.parse(readFileSync(file, "utf8")) as typeof PERSON_GEMINI & { hooks: Record<string, { matcher: string; hooks: { name: string; command: string; timeout: number }[] }[]> };
    expect(settings.general).toEqual(PERSON_GEMINI.general);
    expect(settings.hooks.AfterAgent?.[0]).toEqual(PERSON_GEMINI.hooks.AfterAgent[0]);
    expect(settings.hooks.Notification?.[0]).toMatchObject({ matcher: "*", hooks: [{ name: "otto-tray-gem", type: "command", timeout: 10_000, command: expect.stringMatching(/--agent gemini$/) as unknown as string }] });
    const after = w.cli("hooks", "status", "--json");
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { agents: unknown[] }).agents).toEqual([expect.objectContaining({ surface: "gem", agent: "gemini", settingsFile: file, missing: [], current: true })]);
    expect(w.cli("hooks", "uninstall", "--surface", "gem").code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(PERSON_GEMINI);
  });

  it("refuses Claude Code's options for other agents, a bad --agent, and a config.toml that is not TOML (left untouched)", () => {
    const w = world();
    const http = w.cli("hooks", "install", "--surface", "cx", "--agent", "codex", "--allow-new-surface", "--transport", "http");
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/--transport: only Claude Code's hooks take it \(cx is a Codex surface\)/);
    const bad = w.cli("hooks", "install", "--surface", "cx", "--agent", "copilot", "--allow-new-surface");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--agent: "copilot" is not one of claude-code, codex, gemini/);
    mkdirSync(w.env.CODEX_HOME);
    const file = join(w.env.CODEX_HOME, "config.toml");
    writeFileSync(file, "model = \n");
    const broken = w.cli("hooks", "install", "--surface", "cx", "--agent", "codex", "--allow-new-surface");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/config\.toml: the file is not valid TOML .*left untouched/);
    expect(readFileSync(file, "utf8")).toBe("model = \n");
    expect(existsSync(`${file}.otto-tray.bak`)).toBe(false);
  });

  it("--settings names the file for any agent", () => {
    const w = world();
    const file = join(w.root, "elsewhere.toml");
    expect(w.cli("hooks", "install", "--surface", "cx", "--agent", "codex", "--allow-new-surface", "--settings", file).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("# >>> otto-tray hooks for cx");
    expect(existsSync(join(w.env.CODEX_HOME, "config.toml"))).toBe(false);
  });
});
