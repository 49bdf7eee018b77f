// Work is never lost through the built CLI: dangling and orphan HEADs, submodules, hidden untracked files, clean first, rescued.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../../test-support/git";

function setup(size: number, before?: (root: string, repo: string) => void) {
  const t = makeRepoWithOrigin({ "README.md": "hello\n" });
  before?.(t.root, t.repo);
  const common = ["--repo", t.repo, "--pool-root", join(t.root, "pool"), "--home", join(t.root, "home")];
  const pool = (...args: string[]) => runCli(["pool", ...args, ...common]);
  const init = pool("init", "--identity", "otto-cli", "--size", String(size));
  expect(init.code, init.stderr).toBe(0);
  const allocate = (...extra: string[]) => {
    const r = pool("allocate", "--identity", "otto-cli", "--json", ...extra);
    return { ...r, allocation: r.code === 0 ? (JSON.parse(r.stdout) as { path: string; leaseId: string; rescued: { branch: string }[] }) : undefined };
  };
  return { ...t, pool, allocate, sidetick: (n: number) => join(t.root, "pool", "otto-cli", `sidetick-${n}`) };
}

interface Rescued {
  branch: string;
  identity: string;
  sidetick: string;
  time: string;
  files: string[];
  subject: string;
  uniqueCommits: number;
}

describe("a sidetick whose HEAD points at nothing", () => {
  it.each([
    ["its branch deleted with update-ref -d", (t: ReturnType<typeof setup>, _path: string) => git(t.repo, ["update-ref", "-d", "refs/heads/feat"])],
    ["the holder switched to an orphan branch", (_t: ReturnType<typeof setup>, path: string) => git(path, ["checkout", "-q", "--orphan", "fresh"])],
  ])("%s: release succeeds and the next allocate saves the files to a rescue branch", (_name, breakHead) => {
    const t = setup(1);
    const first = t.allocate("--branch", "feat");
    expect(first.code, first.stderr).toBe(0);
    const path = first.allocation!.path;
    writeFileSync(join(path, "wip.txt"), "unsaved work\n");
    // A stash belongs to the whole repository: no rescue or reset may clear it.
    writeFileSync(join(t.repo, "README.md"), "stashed in the main worktree\n");
    git(t.repo, ["stash", "-q"]);
    breakHead(t, path);
    const released = t.pool("release", "--identity", "otto-cli", "--lease", first.allocation!.leaseId);
    expect(released.code, released.stderr).toBe(0);
    const second = t.allocate();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/saved .* to branch otto-rescue\/otto-cli\//);
    expect(existsSync(join(path, "wip.txt"))).toBe(false);
    const rescued = JSON.parse(t.pool("rescued", "--json").stdout) as Rescued[];
    expect(rescued).toHaveLength(1);
    expect(rescued[0]).toMatchObject({ identity: "otto-cli", sidetick: "sidetick-1" });
    expect(rescued[0]?.files).toContain("wip.txt");
    expect(git(t.repo, ["show", `${rescued[0]?.branch}:wip.txt`])).toBe("unsaved work");
    expect(git(t.repo, ["stash", "list"])).toMatch(/^stash@\{0\}/);
  });
});

describe("submodule.recurse=true", () => {
  it("hands out a clean sidetick instead, then refuses (exit 5) to reset one with edits inside a submodule, keeping them", () => {
    const t = setup(2, (root, repo) => {
      const sub = join(root, "sub");
      git(root, ["init", "-q", "-b", "main", sub]);
      writeFileSync(join(sub, "lib.txt"), "lib\n");
      git(sub, ["add", "lib.txt"]);
      git(sub, ["commit", "-q", "-m", "lib"]);
      git(repo, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "sub"]);
      git(repo, ["commit", "-q", "-m", "add submodule"]);
      git(repo, ["push", "-q", "origin", "main"]);
    });
    const first = t.allocate();
    expect(first.code, first.stderr).toBe(0);
    const path = first.allocation!.path;
    git(path, ["-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init"]);
    writeFileSync(join(path, "sub", "lib.txt"), "edited inside the submodule\n");
    expect(t.pool("release", "--identity", "otto-cli", "--lease", first.allocation!.leaseId).code).toBe(0);
    git(t.repo, ["config", "submodule.recurse", "true"]);
    const second = t.allocate();
    expect(second.code, second.stderr).toBe(0);
    expect(second.allocation!.path).toBe(t.sidetick(2));
    const third = t.allocate();
    expect(third.code).toBe(5);
    expect(third.stderr).toMatch(/submodule\(s\) sub/);
    expect(readFileSync(join(path, "sub", "lib.txt"), "utf8")).toBe("edited inside the submodule\n");
    const status = JSON.parse(t.pool("status", "--identity", "otto-cli", "--json").stdout) as { identities: { sideticks: { path: string; state: string; unsaved: string | null }[] }[] };
    expect(status.identities[0]?.sideticks.find((s) => s.path === path)).toMatchObject({ state: "dirty", unsaved: expect.stringMatching(/submodule/) as unknown });
    // doctor --fix reports it and leaves it (whatever its exit code says about problems left).
    const doctor = JSON.parse(t.pool("doctor", "--fix", "--json").stdout) as { problems: { path: string; problem: string; fixed: boolean; detail: string }[] };
    expect(doctor.problems.find((p) => p.path === path)).toMatchObject({ problem: "dirty", fixed: false, detail: expect.stringMatching(/left as it is: .*submodule/) as unknown });
    expect(readFileSync(join(path, "sub", "lib.txt"), "utf8")).toBe("edited inside the submodule\n");
  });
});

describe("status.showUntrackedFiles=no", () => {
  it("cannot hide an untracked file: status says dirty, refresh saves it instead of aborting, allocate works", () => {
    const t = setup(2);
    git(t.repo, ["config", "status.showUntrackedFiles", "no"]);
    const first = t.allocate();
    const path = first.allocation!.path;
    // The file the next base adds, already here untracked: a plain checkout would refuse to overwrite it.
    writeFileSync(join(path, "new.txt"), "the holder's version\n");
    expect(t.pool("release", "--identity", "otto-cli", "--lease", first.allocation!.leaseId).code).toBe(0);
    const status = JSON.parse(t.pool("status", "--identity", "otto-cli", "--json").stdout) as { identities: { sideticks: { path: string; state: string }[] }[] };
    expect(status.identities[0]?.sideticks.find((s) => s.path === path)?.state).toBe("dirty");
    writeFileSync(join(t.repo, "new.txt"), "upstream version\n");
    git(t.repo, ["add", "new.txt"]);
    git(t.repo, ["commit", "-q", "-m", "add new.txt"]);
    git(t.repo, ["push", "-q", "origin", "main"]);
    const refresh = t.pool("refresh", "--identity", "otto-cli", "--json");
    expect(refresh.code, refresh.stderr).toBe(0);
    const rescuedBranch = (JSON.parse(refresh.stdout) as { rescued: { branch: string }[] }).rescued[0]?.branch;
    expect(git(t.repo, ["show", `${rescuedBranch}:new.txt`])).toBe("the holder's version");
    expect(readFileSync(join(path, "new.txt"), "utf8")).toBe("upstream version\n");
    expect(t.allocate().code).toBe(0);
    expect(t.allocate().code).toBe(0);
  });
});

describe("allocate prefers clean sideticks", () => {
  it("skips a free sidetick holding work while a clean one is free, and leaves the work where it is", () => {
    const t = setup(2);
    const first = t.allocate();
    expect(first.allocation!.path).toBe(t.sidetick(1));
    writeFileSync(join(t.sidetick(1), "left.txt"), "left behind\n");
    expect(t.pool("release", "--identity", "otto-cli", "--lease", first.allocation!.leaseId).code).toBe(0);
    const second = t.allocate();
    expect(second.allocation).toMatchObject({ path: t.sidetick(2), rescued: [] });
    expect(readFileSync(join(t.sidetick(1), "left.txt"), "utf8")).toBe("left behind\n");
    // With no clean one left, the dirty one is used after its work is saved.
    const third = t.allocate();
    expect(third.allocation?.path).toBe(t.sidetick(1));
    expect(third.allocation?.rescued).toHaveLength(1);
  });
});

describe("pool rescued", () => {
  it("lists rescue branches with time, identity, sidetick and contents; --delete removes exactly the one named", () => {
    const t = setup(1);
    for (const name of ["a.txt", "b.txt"]) {
      const a = t.allocate();
      writeFileSync(join(a.allocation!.path, name), `${name}\n`);
      expect(t.pool("release", "--identity", "otto-cli", "--lease", a.allocation!.leaseId).code).toBe(0);
    }
    expect(t.allocate().code).toBe(0);
    const list = JSON.parse(t.pool("rescued", "--json").stdout) as Rescued[];
    expect(list.map((r) => r.files)).toEqual([["a.txt"], ["b.txt"]]);
    expect(list[0]).toMatchObject({ identity: "otto-cli", sidetick: "sidetick-1", uniqueCommits: 1, subject: expect.stringMatching(/^otto-tray rescue: work of otto-cli in sidetick-1/) as unknown });
    expect(Date.parse(list[0]!.time)).toBeGreaterThan(Date.now() - 600_000);
    const text = t.pool("rescued");
    expect(text.stdout).toMatch(/TIME\s+IDENTITY\s+SIDETICK/);
    expect(text.stdout).toContain(list[1]!.branch);
    const bad = t.pool("rescued", "--delete", "main");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a rescue branch/);
    expect(t.pool("rescued", "--delete", "otto-rescue/otto-cli/nope").code).toBe(1);
    const deleted = t.pool("rescued", "--delete", list[0]!.branch);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((JSON.parse(t.pool("rescued", "--json").stdout) as Rescued[]).map((r) => r.branch)).toEqual([list[1]!.branch]);
    expect(git(t.repo, ["branch", "--list", "main"])).toContain("main");
  });
});
