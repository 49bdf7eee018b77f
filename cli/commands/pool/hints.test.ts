// The pool's hints run as printed: the renew line allocate prints, doctor's way to a base, and a missing base's exit code.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/cli";
import { git, makeRepoWithoutOrigin } from "../../../test-support/git";
import { makeTempDir } from "../../../test-support/temp";

/** The words of a hint's command line, unquoted (the paths here have no spaces). */
function words(line: string): string[] {
  return line.trim().split(/\s+/).slice(1);
}

describe("pool hints", () => {
  it("a missing base ref exits 4 (repository error), as the README's table says", () => {
    const repo = makeRepoWithoutOrigin();
    const root = makeTempDir();
    const result = runCli(["pool", "init", "--repo", repo, "--identity", "otto-cli", "--pool-root", join(root, "pool"), "--home", join(root, "home")], { env: { HOME: root } });
    expect(result.stderr).toMatch(/no remote "origin", so there is no default base ref/);
    expect(result.code).toBe(4);
  });

  it("the renew line allocate prints renews the lease when run as printed", () => {
    const repo = makeRepoWithoutOrigin();
    const root = makeTempDir();
    const allocated = runCli(["pool", "allocate", "--repo", repo, "--identity", "otto-cli", "--base", "main", "--pool-root", join(root, "pool"), "--home", join(root, "home")], { cwd: root, env: { HOME: root } });
    expect(allocated.code).toBe(0);
    const line = /\(renew: (otto-tray [^)]*)\)/.exec(allocated.stderr)?.[1];
    expect(line).toBeDefined();
    const renewed = runCli(words(line as string), { cwd: root, env: { HOME: root } });
    expect(renewed.stderr).toBe("");
    expect(renewed.code).toBe(0);
    expect(renewed.stdout).toMatch(/^renewed /);
  });

  it("doctor, whose pool's base is gone, names a way to a base that doctor's user can run", () => {
    const repo = makeRepoWithoutOrigin();
    const root = makeTempDir();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home")];
    git(repo, ["branch", "topic"]);
    expect(runCli(["pool", "init", ...common, "--identity", "otto-cli", "--size", "1", "--base", "topic"], { env: { HOME: root } }).code).toBe(0);
    git(repo, ["branch", "-D", "topic"]);
    const doctor = runCli(["pool", "doctor", ...common], { env: { HOME: root } });
    expect(doctor.code).toBe(4);
    const hint = /hint: .*?(otto-tray pool \w+ [^\n]*?) with an existing/.exec(doctor.stderr)?.[1];
    expect(hint, doctor.stderr).toBe("otto-tray pool init --identity otto-cli --base REF");
    const fixed = runCli([...words((hint as string).replace("REF", "main")), ...common], { env: { HOME: root } });
    expect(fixed.code).toBe(0);
    expect(runCli(["pool", "doctor", ...common], { env: { HOME: root } }).code).toBe(0);
  });
});
