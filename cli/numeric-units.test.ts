// Every numeric option's message names the option and its own unit (`--hours -1` says hours, not seconds).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

function cli(...args: string[]) {
  const dir = makeTempDir();
  return runCli([...args, "--home", join(dir, "home"), "--bus-dir", join(dir, "bus")], { cwd: dir, env: { HOME: dir } });
}

describe("numeric options say their unit", () => {
  it.each([
    [["actuator", "auto", "on", "--hours", "-1", "--confirm"], "--hours", /hours/, /seconds/],
    [["actuator", "auto", "on", "--hours", "25", "--confirm"], "--hours", /hours/, /seconds/],
    [["actuator", "auto", "on", "--hours", "0", "--confirm"], "--hours", /more than 0 hours/, /seconds/],
    [["pool", "allocate", "--identity", "otto-cli", "--ttl", "-1"], "--ttl", /seconds/, /hours/],
    [["pool", "allocate", "--identity", "otto-cli", "--wait", "x"], "--wait", /seconds/, /hours/],
    [["pool", "prune", "--min-age", "-5"], "--min-age", /seconds/, /hours/],
    [["pool", "init", "--identity", "otto-cli", "--size", "0"], "--size", /integer from 1 to 8/, /seconds|hours/],
    [["heartbeat", "--surface", "otto-cli", "--status", "idle", "--pid", "-1"], "--pid", /integer/, /seconds|hours/],
    [["serve", "--port", "70000"], "--port", /integer from 0 to 65535/, /seconds|hours/],
    [["audit", "--limit", "0"], "--limit", /integer from 1 to 10000/, /seconds|hours/],
  ])("%j: names %s and its unit (exit 2)", (args, option, unit, otherUnit) => {
    const r = cli(...args);
    expect(r.code, r.stderr).toBe(2);
    const first = r.stderr.split("\n")[0] ?? "";
    expect(first).toContain(option);
    expect(first).toMatch(unit);
    expect(first).not.toMatch(otherUnit);
  });
});
