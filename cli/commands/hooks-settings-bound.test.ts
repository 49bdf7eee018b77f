// Claude Code's settings file is read within a bound and never waited on: a FIFO or an oversized file there is refused at once, naming it.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import { SETTINGS_MAX_BYTES } from "../../core/hooks/settings-file";

describe("Claude Code's settings file, bounded", () => {
  it("refuses a FIFO or an oversized settings file at once, and status stays quiet about it", () => {
    const dir = makeTempDir();
    const settings = join(dir, "settings.json");
    writeFileSync(settings, "{}\n");
    const common = ["--home", join(dir, "home"), "--bus-dir", join(dir, "bus")];
    expect(runCli(["hooks", "install", "--surface", "otto-cli", "--settings", settings, ...common]).code).toBe(0);

    rmSync(settings);
    execFileSync("mkfifo", [settings]);
    const fifo = runCli(["hooks", "status", "--settings", settings, ...common], { timeoutMs: 20_000 });
    expect(fifo.signal).toBeNull();
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toContain(`cannot read ${settings} is not a regular file`);
    const status = runCli(["status", "--json", ...common], { timeoutMs: 20_000 });
    expect(status.signal).toBeNull();
    expect((JSON.parse(status.stdout) as { hookWarnings: unknown[] }).hookWarnings).toEqual([]);

    rmSync(settings);
    writeFileSync(settings, `{"padding": "${"x".repeat(SETTINGS_MAX_BYTES)}"}`);
    const big = runCli(["hooks", "status", "--settings", settings, ...common]);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain(`over the ${SETTINGS_MAX_BYTES}-byte limit`);
  });
});
