// The pool's one safety check over every worktree state, with real git: the verdict, and that save keeps the work.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, makeRepoWithOrigin } from "../../test-support/git";
import { ExitCode } from "../errors";
import { RefusedError } from "./errors";
import { save } from "./rescue";
import { resetToBase } from "./sidetick";
import { worktreeGitDir } from "./worktree-files";
import { inspect, type UnsavedReason } from "./worktree-safety";

// A conflicting merge or rebase exits non-zero by design; the state it leaves is what is tested.
function gitMayFail(cwd: string, args: string[]): void {
  try {
    git(cwd, args);
  } catch {
    // Expected: stopped on a conflict.
  }
}

function setup() {
  const t = makeRepoWithOrigin({ "README.md": "hello\n", ".gitignore": ".env\nnode_modules/\n" });
  // The user's setting that hid untracked files from the old check; every state below is read under it.
  git(t.repo, ["config", "status.showUntrackedFiles", "no"]);
  git(t.repo, ["config", "diff.ignoreSubmodules", "all"]);
  const base = git(t.repo, ["rev-parse", "origin/main"]);
  let count = 0;
  const worktree = (...extra: string[]) => {
    const path = join(t.root, `wt-${++count}`);
    git(t.repo, ["worktree", "add", "-q", ...(extra.length > 0 ? extra : ["--detach"]), path, "origin/main"]);
    return path;
  };
  return { ...t, base, worktree };
}

type Setup = ReturnType<typeof setup>;

interface Case {
  name: string;
  make: (t: Setup) => string;
  kind: "clean" | "dirty" | "unknown";
  reasons?: UnsavedReason[];
  /** A file the rescue commit must hold, with its content. */
  saved?: [string, string];
  /** Verdict when removal is asked about (ignored files count). */
  forRemoval?: "clean" | "dirty";
}

const conflict = (t: Setup, path: string) => {
  git(t.repo, ["branch", "-f", "other", "origin/main"]);
  const other = join(t.root, `other-${Date.now()}-${Math.random()}`);
  git(t.repo, ["worktree", "add", "-q", other, "other"]);
  writeFileSync(join(other, "README.md"), "theirs\n");
  git(other, ["commit", "-q", "-am", "theirs"]);
  git(t.repo, ["worktree", "remove", other]);
  writeFileSync(join(path, "README.md"), "ours\n");
  git(path, ["commit", "-q", "-am", "ours"]);
};

const CASES: Case[] = [
  { name: "clean at the base", make: (t) => t.worktree(), kind: "clean", forRemoval: "clean" },
  {
    name: "staged change",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, "README.md"), "staged\n");
      git(p, ["add", "README.md"]);
      return p;
    },
    kind: "dirty",
    reasons: ["staged"],
    saved: ["README.md", "staged\n"],
  },
  {
    name: "unstaged change",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, "README.md"), "unstaged\n");
      return p;
    },
    kind: "dirty",
    reasons: ["unstaged"],
    saved: ["README.md", "unstaged\n"],
  },
  {
    name: "untracked file under status.showUntrackedFiles=no",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, "notes.txt"), "untracked\n");
      return p;
    },
    kind: "dirty",
    reasons: ["untracked"],
    saved: ["notes.txt", "untracked\n"],
  },
  {
    name: "ignored files only (a reset keeps them; a removal would not)",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, ".env"), "SECRET=1\n");
      return p;
    },
    kind: "clean",
    forRemoval: "dirty",
  },
  {
    name: "unpushed commits on a branch (the branch keeps them)",
    make: (t) => {
      const p = t.worktree("-b", "feature");
      writeFileSync(join(p, "f.txt"), "f\n");
      git(p, ["add", "f.txt"]);
      git(p, ["commit", "-q", "-m", "local only"]);
      return p;
    },
    kind: "clean",
  },
  {
    name: "detached with commits on no branch",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, "d.txt"), "detached\n");
      git(p, ["add", "d.txt"]);
      git(p, ["commit", "-q", "-m", "nowhere else"]);
      return p;
    },
    kind: "dirty",
    reasons: ["detached-commits"],
    saved: ["d.txt", "detached\n"],
  },
  {
    name: "dangling HEAD: its branch deleted with update-ref -d",
    make: (t) => {
      const p = t.worktree("-b", "doomed");
      writeFileSync(join(p, "c.txt"), "committed\n");
      git(p, ["add", "c.txt"]);
      git(p, ["commit", "-q", "-m", "on the doomed branch"]);
      writeFileSync(join(p, "wip.txt"), "uncommitted\n");
      git(t.repo, ["update-ref", "-d", "refs/heads/doomed"]);
      return p;
    },
    kind: "dirty",
    reasons: ["staged", "untracked", "unborn-head"],
    saved: ["wip.txt", "uncommitted\n"],
  },
  {
    name: "unborn HEAD: the holder switched to an orphan branch",
    make: (t) => {
      const p = t.worktree();
      git(p, ["checkout", "-q", "--orphan", "fresh"]);
      writeFileSync(join(p, "orphan.txt"), "orphan work\n");
      return p;
    },
    kind: "dirty",
    reasons: ["staged", "untracked", "unborn-head"],
    saved: ["orphan.txt", "orphan work\n"],
  },
  {
    name: "merge in progress with a conflict",
    make: (t) => {
      const p = t.worktree();
      conflict(t, p);
      gitMayFail(p, ["merge", "-q", "other"]);
      return p;
    },
    kind: "dirty",
    reasons: ["unmerged", "operation", "detached-commits"],
    saved: ["README.md", "<<<<<<<"],
  },
  {
    name: "rebase in progress with a conflict",
    make: (t) => {
      const p = t.worktree("-b", "topic");
      conflict(t, p);
      gitMayFail(p, ["rebase", "-q", "other"]);
      return p;
    },
    kind: "dirty",
    reasons: ["unmerged", "operation"],
    saved: ["README.md", "<<<<<<<"],
  },
  {
    name: "only a stash (shared by every worktree: not this worktree's work)",
    make: (t) => {
      const p = t.worktree();
      writeFileSync(join(p, "README.md"), "stashed\n");
      git(p, ["stash", "-q"]);
      return p;
    },
    kind: "clean",
  },
  {
    name: "broken .git link (state unknown)",
    make: (t) => {
      const p = t.worktree();
      rmSync(join(p, ".git"));
      return p;
    },
    kind: "unknown",
  },
];

describe("inspect and save over every worktree state", () => {
  it.each(CASES)("$name", async (c) => {
    const t = setup();
    const path = c.make(t);
    const verdict = await inspect(path);
    expect(verdict.kind).toBe(c.kind);
    if (verdict.kind === "dirty") expect([...verdict.reasons].sort()).toEqual([...(c.reasons ?? [])].sort());
    if (c.forRemoval !== undefined) expect((await inspect(path, { ignored: true })).kind).toBe(c.forRemoval);
    if (c.kind === "unknown") {
      // Unknown is never taken as clean: saving refuses (exit 5) and leaves the directory alone.
      const error = await save({ path, verdict, identity: "otto-cli", sidetick: "sidetick-1", reason: "test", now: new Date() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefusedError);
      expect(existsSync(join(path, "README.md"))).toBe(true);
      return;
    }
    const report = await save({ path, verdict, identity: "otto-cli", sidetick: "sidetick-1", reason: "test", now: new Date() });
    if (c.saved === undefined) {
      expect(report).toBeUndefined();
    } else {
      expect(report?.branch).toMatch(/^otto-rescue\/otto-cli\/\d{8}T\d{6}Z-sidetick-1$/);
      expect(git(t.repo, ["show", `${report?.branch}:${c.saved[0]}`])).toContain(c.saved[1].trim());
    }
    await resetToBase(path, t.base, verdict.kind !== "clean");
    const after = await inspect(path);
    expect(after.kind).toBe("clean");
    const gitDir = worktreeGitDir(path) ?? "";
    for (const state of ["MERGE_HEAD", "rebase-merge"]) expect(existsSync(join(gitDir, state))).toBe(false);
    if (c.name.startsWith("only a stash")) expect(git(t.repo, ["stash", "list"])).toMatch(/stash@\{0\}/);
    if (c.name.startsWith("ignored")) expect(existsSync(join(path, ".env"))).toBe(true);
  });

  it("keeps the deleted branch's commits reachable from the rescue of a dangling HEAD", async () => {
    const t = setup();
    const p = t.worktree("-b", "doomed");
    writeFileSync(join(p, "c.txt"), "committed\n");
    git(p, ["add", "c.txt"]);
    git(p, ["commit", "-q", "-m", "on the doomed branch"]);
    const lost = git(p, ["rev-parse", "HEAD"]);
    git(t.repo, ["update-ref", "-d", "refs/heads/doomed"]);
    const verdict = await inspect(p);
    expect(verdict).toMatchObject({ kind: "dirty", lastHead: lost });
    const report = await save({ path: p, verdict, identity: "otto-cli", sidetick: "sidetick-1", reason: "test", now: new Date() });
    expect(git(t.repo, ["rev-parse", `${report?.branch}^`])).toBe(lost);
  });

  it("refuses (exit 5) to save changes inside a submodule, and leaves them", async () => {
    const t = setup();
    const sub = join(t.root, "sub");
    git(t.root, ["init", "-q", "-b", "main", sub]);
    writeFileSync(join(sub, "lib.txt"), "lib\n");
    git(sub, ["add", "lib.txt"]);
    git(sub, ["commit", "-q", "-m", "lib"]);
    git(t.repo, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "sub"]);
    git(t.repo, ["commit", "-q", "-m", "add submodule"]);
    git(t.repo, ["push", "-q", "origin", "main"]);
    const p = join(t.root, "with-sub");
    git(t.repo, ["worktree", "add", "-q", "--detach", p, "origin/main"]);
    git(p, ["-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init"]);
    writeFileSync(join(p, "sub", "lib.txt"), "edited inside the submodule\n");
    const verdict = await inspect(p);
    expect(verdict).toMatchObject({ kind: "dirty", reasons: expect.arrayContaining(["submodule"]) as unknown, submodules: ["sub"] });
    const error = await save({ path: p, verdict, identity: "otto-cli", sidetick: "sidetick-1", reason: "test", now: new Date() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).exitCode).toBe(ExitCode.refused);
    expect((error as RefusedError).message).toMatch(/submodule\(s\) sub/);
  });
});
