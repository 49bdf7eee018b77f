// `otto-tray hooks install --worktrees`: the WorktreeCreate/WorktreeRemove/SessionEnd entries, one surface per settings file.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

type Settings = { hooks?: Record<string, { matcher?: string; hooks: { command: string; timeout?: number }[] }[]> } & Record<string, unknown>;

function settingsFile(content: string): string {
  const file = join(makeTempDir("otto-hooks-wt-"), "settings.json");
  writeFileSync(file, content);
  chmodSync(file, 0o600);
  return file;
}

const parse = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Settings;
const commandsOf = (settings: Settings, event: string) => (settings.hooks?.[event] ?? []).flatMap((g) => g.hooks.map((h) => h.command));

describe("hooks install --worktrees", () => {
  it("adds WorktreeCreate, WorktreeRemove and SessionEnd's keep; twice changes nothing; uninstall takes them out with the rest", () => {
    const file = settingsFile(`{"hooks": {"WorktreeRemove": [{"hooks": [{"type": "command", "command": "my-cleanup.sh"}]}]}}\n`);
    const install = runCli(["hooks", "install", "--surface", "otto-cli", "--worktrees", "--settings", file, "--json"]);
    expect(install.code, install.stderr).toBe(0);
    const json = JSON.parse(install.stdout) as { added: string[] };
    expect(json.added).toEqual(expect.arrayContaining(["WorktreeCreate", "WorktreeRemove", "SessionEnd"]));
    const after = parse(file);
    expect(commandsOf(after, "WorktreeCreate")).toEqual([expect.stringMatching(/ hook worktree-create --surface otto-cli --pid "\$PPID"$/)]);
    expect(commandsOf(after, "WorktreeRemove")).toEqual(["my-cleanup.sh", expect.stringMatching(/ hook worktree-remove --surface otto-cli --pid "\$PPID"$/)]);
    expect(commandsOf(after, "SessionEnd")).toEqual([expect.stringMatching(/ hook --surface otto-cli --pid "\$PPID"$/), expect.stringMatching(/ hook worktree-keep --surface otto-cli --pid "\$PPID"$/)]);

    const again = runCli(["hooks", "install", "--surface", "otto-cli", "--worktrees", "--settings", file, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false });

    const removed = runCli(["hooks", "uninstall", "--surface", "otto-cli", "--settings", file, "--json"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(parse(file)).toEqual({ hooks: { WorktreeRemove: [{ hooks: [{ type: "command", command: "my-cleanup.sh" }] }] } });
  });

  it("a second surface asking for them in the same settings file is refused with one line, the file untouched", () => {
    const file = settingsFile("{}\n");
    expect(runCli(["hooks", "install", "--surface", "otto-cli", "--worktrees", "--settings", file]).code).toBe(0);
    const before = readFileSync(file, "utf8");
    const second = runCli(["hooks", "install", "--surface", "otto-desktop", "--worktrees", "--settings", file]);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split("\n")).toHaveLength(1);
    expect(second.stderr).toMatch(/already runs otto-tray's worktree hook for otto-cli/);
    expect(readFileSync(file, "utf8")).toBe(before);
    // Without --worktrees the second surface installs as before.
    expect(runCli(["hooks", "install", "--surface", "otto-desktop", "--settings", file]).code).toBe(0);
  });
});
