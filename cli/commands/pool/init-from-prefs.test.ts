// `pool init` without --identity keeps the pools the preferences list, at the preferences' size.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/cli";
import { makeRepoWithOrigin } from "../../../test-support/git";

describe("pool init from preferences", () => {
  it("creates every listed identity's pool, then shrinks them when poolSize goes down", () => {
    const { root, repo } = makeRepoWithOrigin();
    const poolRoot = join(root, "pool");
    const config = join(root, "prefs.json");
    const home = join(root, "home");
    const writePrefs = (poolSize: number) => writeFileSync(config, JSON.stringify({ repo, poolRoot, poolSize, identities: ["otto-cli", "otto-desktop"] }));
    const sizes = () => {
      const status = JSON.parse(runCli(["pool", "status", "--config", config, "--home", home, "--json"]).stdout);
      return Object.fromEntries(status.identities.map((i: { identity: string; sideticks: unknown[] }) => [i.identity, i.sideticks.length]));
    };

    writePrefs(2);
    const first = runCli(["pool", "init", "--config", config, "--home", home, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).map((r: { identity: string }) => r.identity)).toEqual(["otto-cli", "otto-desktop"]);
    expect(sizes()).toEqual({ "otto-cli": 2, "otto-desktop": 2 });

    const leased = runCli(["pool", "allocate", "--config", config, "--home", home, "--identity", "otto-cli"]);
    expect(leased.code).toBe(0);
    writePrefs(1);
    expect(runCli(["pool", "init", "--config", config, "--home", home]).code).toBe(0);
    expect(sizes()).toEqual({ "otto-cli": 1, "otto-desktop": 1 });
    const cli = JSON.parse(runCli(["pool", "status", "--config", config, "--home", home, "--identity", "otto-cli", "--json"]).stdout);
    expect(cli.identities[0].sideticks[0]).toMatchObject({ path: leased.stdout.trim(), state: "leased" });
  });

  it("asks for --identity when the preferences list none", () => {
    const { repo } = makeRepoWithOrigin();
    const result = runCli(["pool", "init", "--repo", repo, "--home", join(repo, "..", "home")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--identity is required/);
  });
});
