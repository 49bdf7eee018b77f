// What counts as a foreign sidetick path, judged by lstat on real files: never followed, never blocking.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, makeRepoWithOrigin } from "../../test-support/git";
import { foreignPathReason, pathPresent } from "./foreign";
import { discoverRepo } from "./repo";

async function setup() {
  const t = makeRepoWithOrigin();
  const repo = await discoverRepo(t.repo);
  const worktree = join(t.root, "wt");
  git(t.repo, ["worktree", "add", "-q", "--detach", worktree]);
  return { ...t, info: repo, worktree };
}

describe("foreignPathReason", () => {
  it("a linked worktree of the repository, a missing path and a directory without .git are not foreign", async () => {
    const t = await setup();
    expect(foreignPathReason(t.worktree, t.info)).toBeUndefined();
    expect(foreignPathReason(join(t.root, "nothing-here"), t.info)).toBeUndefined();
    mkdirSync(join(t.root, "plain"));
    expect(foreignPathReason(join(t.root, "plain"), t.info)).toBeUndefined();
  });

  it("a symlink (even a dangling one), a file, a symlinked parent, a .git directory, symlink or FIFO are foreign", async () => {
    const t = await setup();
    symlinkSync(t.worktree, join(t.root, "link"));
    expect(foreignPathReason(join(t.root, "link"), t.info)).toMatch(/is a symlink to/);
    symlinkSync(join(t.root, "gone"), join(t.root, "dangling"));
    expect(pathPresent(join(t.root, "dangling"))).toBe(true);
    expect(foreignPathReason(join(t.root, "dangling"), t.info)).toMatch(/is a symlink to/);
    writeFileSync(join(t.root, "file"), "x");
    expect(foreignPathReason(join(t.root, "file"), t.info)).toMatch(/is a file/);
    symlinkSync(t.root, join(t.root, "parent-link"));
    expect(foreignPathReason(join(t.root, "parent-link", "wt"), t.info)).toMatch(/pool directory .* is a symlink/);
    expect(foreignPathReason(t.repo, t.info)).toMatch(/\.git is a directory/);
    const dotGit = join(t.worktree, ".git");
    rmSync(dotGit);
    symlinkSync(join(t.repo, ".git"), dotGit);
    expect(foreignPathReason(t.worktree, t.info)).toMatch(/\.git is a symlink/);
    rmSync(dotGit);
    execFileSync("mkfifo", [dotGit]);
    expect(foreignPathReason(t.worktree, t.info)).toMatch(/\.git is not a regular file/);
  });

  it("a .git file leading anywhere but this repository's worktrees/<name> is foreign", async () => {
    const t = await setup();
    const other = makeRepoWithOrigin();
    const dotGit = join(t.worktree, ".git");
    writeFileSync(dotGit, `gitdir: ${join(other.repo, ".git")}\n`);
    expect(foreignPathReason(t.worktree, t.info)).toMatch(/leads to .*not to a worktree of the repository/);
    writeFileSync(dotGit, `gitdir: ${join(t.info.commonDir, "worktrees", "wt", "..", "..")}\n`);
    expect(foreignPathReason(t.worktree, t.info)).toMatch(/leads to/);
    // A registration git pruned: the name still says whose it is, and doctor re-registers it.
    writeFileSync(dotGit, `gitdir: ${join(t.info.commonDir, "worktrees", "pruned-name")}\n`);
    expect(foreignPathReason(t.worktree, t.info)).toBeUndefined();
  });
});
