// The pool's hints run as printed: the renew line allocate prints, doctor's way to a base, and a missing base's exit code.
import { readFileSync, writeFileSync } from "node:fs";
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
  it("a missing base ref exits 4 (repository error), as docs/command-line.md's exit-code table says", () => {
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

describe("pool release of a sidetick holding unsaved work", () => {
  it("says the work stays there and where the next allocation saves it; the next allocation does save it", () => {
    const repo = makeRepoWithoutOrigin();
    const root = makeTempDir();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home"), "--identity", "otto-cli"];
    const env = { HOME: root };
    expect(runCli(["pool", "init", ...common, "--base", "main", "--size", "1"], { env }).code).toBe(0);
    const allocated = JSON.parse(runCli(["pool", "allocate", ...common, "--json"], { env }).stdout) as { path: string; leaseId: string };
    writeFileSync(join(allocated.path, "draft.txt"), "unsaved\n");
    const released = runCli(["pool", "release", ...common, "--lease", allocated.leaseId], { env });
    expect(released.code).toBe(0);
    expect(released.stderr).toMatch(/holds unsaved work \(.*untracked.*draft\.txt.*\): it stays there; the next allocation of this sidetick .*saves it to a branch otto-rescue\/otto-cli\//);
    expect(readFileSync(join(allocated.path, "draft.txt"), "utf8")).toBe("unsaved\n");
    const listed = /\((otto-tray pool rescued [^)]*) lists/.exec(released.stderr)?.[1];
    expect(listed).toBeDefined();
    // The next allocation takes the one sidetick, and saves its work first, as said.
    const again = JSON.parse(runCli(["pool", "allocate", ...common, "--json"], { env }).stdout) as { leaseId: string; rescued: { branch: string }[] };
    expect(again.rescued[0]?.branch).toMatch(/^otto-rescue\/otto-cli\//);
    const json = JSON.parse(runCli(["pool", "release", ...common, "--lease", again.leaseId, "--json"], { env }).stdout) as { unsaved: string | null };
    expect(json.unsaved).toBeNull();
    const rescued = runCli(words(listed as string), { env });
    expect(rescued.code).toBe(0);
    expect(rescued.stdout).toMatch(/otto-rescue\/otto-cli\//);
  });

  it("a clean release says nothing about work", () => {
    const repo = makeRepoWithoutOrigin();
    const root = makeTempDir();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home"), "--identity", "otto-cli"];
    const allocated = JSON.parse(runCli(["pool", "allocate", ...common, "--base", "main", "--json"], { env: { HOME: root } }).stdout) as { leaseId: string };
    const released = runCli(["pool", "release", ...common, "--lease", allocated.leaseId], { env: { HOME: root } });
    expect(released.code).toBe(0);
    expect(released.stderr).toBe("");
  });
});
