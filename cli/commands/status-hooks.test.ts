// `status` says when a surface's installed hooks cannot see permission dialogs (Claude Code's own auto mode).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

describe("status and Claude Code's auto mode", () => {
  it("warns while the settings leave Claude Code in its auto mode, and not once defaultMode is default", () => {
    const dir = makeTempDir();
    const settings = join(dir, "settings.json");
    writeFileSync(settings, "{}\n");
    const common = ["--home", join(dir, "home"), "--bus-dir", join(dir, "bus")];
    expect(runCli(["hooks", "install", "--surface", "otto-cli", "--settings", settings, ...common]).code).toBe(0);
    const text = runCli(["status", ...common]);
    expect(text.stdout).toMatch(/hooks of otto-cli: permissions\.defaultMode is not set in .*settings\.json.*"defaultMode": "default"/);
    const json = JSON.parse(runCli(["status", "--json", ...common]).stdout) as { hookWarnings: { surface: string }[] };
    expect(json.hookWarnings.map((w) => w.surface)).toEqual(["otto-cli"]);

    const current = JSON.parse(readFileSync(settings, "utf8")) as Record<string, unknown>;
    writeFileSync(settings, JSON.stringify({ ...current, permissions: { defaultMode: "default" } }));
    expect((JSON.parse(runCli(["status", "--json", ...common]).stdout) as { hookWarnings: unknown[] }).hookWarnings).toEqual([]);
    expect(runCli(["hooks", "uninstall", "--surface", "otto-cli", "--settings", settings, ...common]).code).toBe(0);
  });
});
