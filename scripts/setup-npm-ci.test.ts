// The set-up's `npm ci` (scripts/npm-ci.mjs) run as a real process over a stand-in npm that prints what the real one
// prints on Node 20: the two build-only packages' engine warnings become one line; every other warning and the exit stay.
import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const NPM_CI = join(REPO_ROOT, "scripts", "npm-ci.mjs");
const SETUP = join(REPO_ROOT, "scripts", "setup");

/** npm 11's engine warning for PACKAGE, as `npm ci` printed it on Node 20.20.2. */
function engineWarning(pkg: string): string {
  return [
    "npm warn EBADENGINE Unsupported engine {",
    `npm warn EBADENGINE   package: '${pkg}',`,
    "npm warn EBADENGINE   required: { node: '>=22.12.0' },",
    "npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '11.19.1' }",
    "npm warn EBADENGINE }",
  ].join("\n");
}

const OTHER_WARNING = "npm warn install-scripts 4 packages have install scripts not yet covered by allowScripts:";

/** A directory holding a stand-in `npm` that records its argv, prints STDERR on stderr and "added 469 packages" on stdout, and exits CODE. */
function standInNpm(stderr: string, code: number): { bin: string; argv: string } {
  const bin = makeTempDir("otto-stub-npm-");
  const argv = join(bin, "argv.txt");
  writeFileSync(join(bin, "stderr.txt"), `${stderr}\n`);
  writeFileSync(join(bin, "npm"), `#!/bin/sh\necho "$@" > '${argv}'\ncat '${join(bin, "stderr.txt")}' >&2\necho "added 469 packages in 53s"\nexit ${code}\n`);
  chmodSync(join(bin, "npm"), 0o755);
  return { bin, argv };
}

function runNpmCi(bin: string, args: string[]) {
  return spawnSync(process.execPath, [NPM_CI, ...args], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8", timeout: 60_000 });
}

describe("scripts/npm-ci.mjs (the set-up's npm ci)", () => {
  it("replaces @electron/rebuild's and node-abi's engine warnings by one line that says why they are harmless", () => {
    const { bin, argv } = standInNpm([engineWarning("@electron/rebuild@4.2.1"), engineWarning("node-abi@4.40.0"), OTHER_WARNING].join("\n"), 0);
    const result = runNpmCi(bin, ["--no-audit", "--no-fund"]);
    expect(result.stderr).toBe(`${OTHER_WARNING}\n`);
    expect(result.stdout.split("\n")).toEqual([
      "added 469 packages in 53s",
      expect.stringMatching(/^npm: @electron\/rebuild@4\.2\.1 and node-abi@4\.40\.0 ask for Node >= 22\.12 \(this is v\d+\.\d+\.\d+\); harmless: .*npmRebuild: false\)$/),
      "",
    ]);
    expect(result.status).toBe(0);
    expect(spawnSync("cat", [argv], { encoding: "utf8" }).stdout).toBe("ci --no-audit --no-fund\n");
  });

  it("says the NATS client's id generator's engine warning is harmless on a line of its own", () => {
    const { bin } = standInNpm([engineWarning("@electron/rebuild@4.2.1"), engineWarning("@nats-io/nuid@3.0.0"), engineWarning("node-abi@4.40.0")].join("\n"), 0);
    const result = runNpmCi(bin, []);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      "added 469 packages in 53s",
      expect.stringMatching(/^npm: @electron\/rebuild@4\.2\.1 and node-abi@4\.40\.0 ask for Node >= 22\.12 /),
      expect.stringMatching(/^npm: @nats-io\/nuid@3\.0\.0 asks for Node >= 22 \(this is v[\d.]+\); harmless: the NATS client's id generator/),
      "",
    ]);
  });

  it("passes on whole any other package's engine warning, and a malformed block", () => {
    const other = engineWarning("some-runtime-dep@1.0.0");
    const malformed = "npm warn EBADENGINE Unsupported engine {\nnpm error something else broke";
    const { bin } = standInNpm([other, engineWarning("node-abi@4.40.0"), malformed].join("\n"), 0);
    const result = runNpmCi(bin, []);
    expect(result.stderr).toBe(`${other}\n${malformed}\n`);
    expect(result.stdout).toContain("npm: node-abi@4.40.0 asks for Node >= 22.12");
  });

  it("exits as npm did and says nothing of engines when npm printed no such warning", () => {
    const { bin } = standInNpm("npm error code ERESOLVE", 1);
    const result = runNpmCi(bin, []);
    expect(result.stderr).toBe("npm error code ERESOLVE\n");
    expect(result.stdout).toBe("added 469 packages in 53s\n");
    expect(result.status).toBe(1);
  });

  it("is what scripts/setup runs: its output has the one line and no EBADENGINE, and a failed npm ci fails the set-up", () => {
    const warnings = [engineWarning("@electron/rebuild@4.2.1"), engineWarning("node-abi@4.40.0")].join("\n");
    const env = (bin: string) => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, OTTO_SKIP_ELECTRON: "1" });
    const ok = standInNpm(warnings, 0);
    const result = spawnSync(SETUP, [], { env: env(ok.bin), encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).not.toContain("EBADENGINE");
    expect(result.stdout).toContain("npm: @electron/rebuild@4.2.1 and node-abi@4.40.0 ask for Node >= 22.12");
    expect(result.status).toBe(0);
    const failing = standInNpm(warnings, 1);
    expect(spawnSync(SETUP, [], { env: env(failing.bin), encoding: "utf8", timeout: 60_000 }).status).toBe(1);
  });
});
