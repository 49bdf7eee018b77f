// `status`, `pool status` and `doctor` with a mistyped or invalid key in preferences.json: the rest of the settings
// hold, the bad key is named (a warning on stderr; a problem in doctor) and the command goes on (built CLI).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeRepoWithOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";

function homeWith(prefs: string): string[] {
  const dir = makeTempDir("otto-status-prefs-");
  writeFileSync(join(dir, "preferences.json"), prefs);
  return ["--home", dir, "--bus-dir", join(dir, "bus")];
}

const TYPO = JSON.stringify({ surfaces: ["otto-cli", "otto-ci"], hungAfterSecs: 900, quorumSize: 1 });

describe("a bad key in preferences.json", () => {
  it("status keeps every valid setting, warns on stderr naming each bad key, and exits 0", () => {
    const common = homeWith(TYPO);
    const text = runCli(["status", ...common]);
    expect(text.code, text.stderr).toBe(0);
    // The surfaces the person set are watched: the other settings were not replaced by the defaults.
    expect(text.stdout).toMatch(/otto-ci /);
    expect(text.stdout).not.toMatch(/otto-desktop/);
    expect(text.stderr).toMatch(/warning: .*preferences\.json: hungAfterSecs: unknown key, ignored \(did you mean hungAfterSeconds\?\)/);
    expect(text.stderr).toMatch(/warning: .*quorumSize: must be a whole number from 2 to 16 \(it is 1\); using the default, 2/);
    const json = runCli(["status", "--json", ...common]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { prefsProblems: string[] }).prefsProblems).toEqual([expect.stringMatching(/hungAfterSecs/), expect.stringMatching(/quorumSize/)]);
  });

  it("pool status goes on with the pool settings it can use, and warns", () => {
    const { repo } = makeRepoWithOrigin();
    const dir = makeTempDir("otto-status-prefs-");
    writeFileSync(join(dir, "preferences.json"), JSON.stringify({ repo, poolRoot: join(dir, "pool"), poolSizee: 2 }));
    const result = runCli(["pool", "status", "--home", dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(join(dir, "pool"));
    expect(result.stderr).toMatch(/poolSizee: unknown key, ignored \(did you mean poolSize\?\)/);
  });

  it("doctor names each bad key as a problem (exit 6)", () => {
    const result = runCli(["doctor", ...homeWith(TYPO)]);
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/- preference not used as written: .*hungAfterSecs: unknown key/);
    expect(result.stdout).toMatch(/- preference not used as written: .*quorumSize: must be a whole number from 2 to 16/);
  });

  it("a file that is not JSON at all is still an error (exit 2) naming the file: which settings it meant cannot be told", () => {
    const result = runCli(["status", ...homeWith("{ quorumSize: 3")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/preferences\.json is not valid JSON/);
  });
});
