// Did-you-mean for mistyped subcommands (`hooks instal`, `actuator of`), and `-v` as `--version`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

function cli(...args: string[]) {
  const dir = makeTempDir();
  return runCli([...args, "--home", join(dir, "home"), "--bus-dir", join(dir, "bus")], { env: { HOME: dir, CLAUDE_CONFIG_DIR: dir } });
}

describe("mistyped subcommands", () => {
  it.each([
    [["hooks", "instal", "--surface", "otto-cli"], "install"],
    [["actuator", "of"], "off"],
    [["actuator", "stauts"], "status"],
    [["actuator", "auto", "of"], "off"],
    [["bus", "lsit"], "list"],
  ])("%j: did you mean %s? (exit 2, nothing done)", (args, meant) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean "${meant}"?`);
    expect(r.stdout).toBe("");
  });
});

describe("-v", () => {
  it("prints the version, as --version does", () => {
    const v = runCli(["-v"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(runCli(["--version"]).stdout);
    expect(v.stdout).toMatch(/^otto-tray \S+\n$/);
  });
});
