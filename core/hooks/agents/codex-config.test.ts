// Codex's config.toml edited as the person's file: every byte kept, one marked block added and taken out exactly, and
// every result a TOML parser reads back; a file that is not TOML, or defines hooks another way, is left untouched.
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { CODEX_EVENTS, hasCodexHooks, installCodexHooks, tomlString, uninstallCodexHooks } from "./codex-config";

const COMMAND = `'/usr/bin/node' '/opt/otto tray/bin/otto-tray' hook --surface codex-main --pid "$PPID"`;
const timeout = (event: string) => (event === "PermissionRequest" ? 610 : 10);
const PERSON = `# my codex settings
model = "gpt-5"   # the one I like
model_provider = "fake"

[model_providers.fake]
base_url = "http://127.0.0.1:9999/v1"
env_key = "FAKE_KEY"
wire_api = "responses"

[[hooks.Stop]]
[[hooks.Stop.hooks]]
type = "command"
command = "notify-send done"
`;

describe("Codex config.toml hooks", () => {
  it("adds one marked block at the end, keeping every byte of the person's file, and parses to Codex's hook shape", () => {
    const added = installCodexHooks(PERSON, "codex-main", COMMAND, timeout);
    expect(added.changed).toBe(true);
    expect(added.text.startsWith(PERSON)).toBe(true);
    const parsed = parse(added.text) as { hooks: Record<string, { hooks: { type: string; command: string; timeout: number }[] }[]>; model: string };
    expect(parsed.model).toBe("gpt-5");
    for (const event of CODEX_EVENTS) expect(parsed.hooks[event]?.at(-1)?.hooks[0]).toEqual({ type: "command", command: COMMAND, timeout: timeout(event) });
    // The person's own Stop hook is still there, first.
    expect(parsed.hooks.Stop?.[0]?.hooks[0]?.command).toBe("notify-send done");
    expect(hasCodexHooks(added.text, "codex-main")).toBe(true);
  });

  it("is undone exactly by uninstall, and a second install changes nothing", () => {
    const added = installCodexHooks(PERSON, "codex-main", COMMAND, timeout);
    expect(installCodexHooks(added.text, "codex-main", COMMAND, timeout)).toEqual({ text: added.text, changed: false });
    expect(uninstallCodexHooks(added.text, "codex-main")).toEqual({ text: PERSON, changed: true });
    expect(uninstallCodexHooks(PERSON, "codex-main")).toEqual({ text: PERSON, changed: false });
    // A file without a final newline and an empty file come back as they were.
    for (const original of ['model = "x"', ""]) expect(uninstallCodexHooks(installCodexHooks(original, "s", COMMAND, timeout).text, "s").text).toBe(original);
  });

  it("keeps two surfaces' blocks apart: removing one leaves the other", () => {
    const both = installCodexHooks(installCodexHooks(PERSON, "a", "run a", timeout).text, "b", "run b", timeout).text;
    const onlyB = uninstallCodexHooks(both, "a").text;
    expect(hasCodexHooks(onlyB, "a")).toBe(false);
    expect(hasCodexHooks(onlyB, "b")).toBe(true);
    expect(uninstallCodexHooks(onlyB, "b").text).toBe(PERSON);
  });

  it("replaces its block when the command changes, in place of the old one", () => {
    const first = installCodexHooks(PERSON, "codex-main", "old command", timeout).text;
    const second = installCodexHooks(first, "codex-main", COMMAND, timeout);
    expect(second.changed).toBe(true);
    expect(second.text).not.toContain("old command");
    expect(uninstallCodexHooks(second.text, "codex-main").text).toBe(PERSON);
  });

  it("refuses a file that is not TOML, or whose hooks are defined so that the block cannot join them; nothing is changed", () => {
    expect(() => installCodexHooks("model = ", "s", COMMAND, timeout)).toThrow(/the file is not valid TOML/);
    expect(() => installCodexHooks('[hooks]\nStop = "x"\n', "s", COMMAND, timeout)).toThrow(/not valid TOML|do not read back/);
    expect(() => installCodexHooks("hooks = { Stop = [] }\n", "s", COMMAND, timeout)).toThrow(/not valid TOML|do not read back/);
  });

  it("escapes what TOML strings cannot hold as is", () => {
    const hostile = `a "quoted" \\ path\nrm -rf / #`;
    const added = installCodexHooks("", "s", hostile, timeout);
    const parsed = parse(added.text) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    expect(parsed.hooks.Stop?.[0]?.hooks[0]?.command).toBe(hostile);
    expect(tomlString("\u0007")).toBe('"\\u0007"');
  });

  it("says so when a block's end line was deleted by hand", () => {
    const added = installCodexHooks(PERSON, "s", COMMAND, timeout).text;
    const broken = added.replace("# <<< otto-tray hooks for s\n", "");
    expect(() => uninstallCodexHooks(broken, "s")).toThrow(/has its start but not its end line/);
  });
});
