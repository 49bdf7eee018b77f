// The pool as a library against real repositories: allocation, leases, markers, locks, status and bad input.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, makeRepoWithOrigin, makeRepoWithoutOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";
import { ExitCode } from "../errors";
import { allocate, init, MARKER_FILE, NoFreeSidetickError, release, renew, status, withSidetick } from "./index";

function setup(size = 2) {
  const t = makeRepoWithOrigin({ "README.md": "hello\n", "src/a.txt": "a\n" });
  const poolRoot = join(t.root, "pool");
  return { ...t, poolRoot, opts: { repo: t.repo, poolRoot, identity: "otto-cli" }, size };
}

describe("allocate and release", () => {
  it("hands out every sidetick once, then fails with exit 3; a released one is reused", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const a = await allocate(t.opts);
    const b = await allocate(t.opts);
    expect(new Set([a.path, b.path]).size).toBe(2);
    expect(a.path).toBe(join(t.poolRoot, "otto-cli", "sidetick-1"));
    expect(a).toMatchObject({ identity: "otto-cli", sidetick: "sidetick-1", branch: null, base: "origin/main" });
    // No holder pid: the lease runs out after the default day.
    expect(Date.parse(a.expiresAt ?? "") - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(a.head).toBe(git(t.repo, ["rev-parse", "origin/main"]));
    const error = await allocate(t.opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoFreeSidetickError);
    expect((error as NoFreeSidetickError).exitCode).toBe(ExitCode.noFreeSidetick);
    await release({ ...t.opts, leaseId: b.leaseId });
    const c = await allocate(t.opts);
    expect(c.path).toBe(b.path);
    expect(c.leaseId).not.toBe(b.leaseId);
  });

  it("marks, hides and git-locks each sidetick", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const a = await allocate(t.opts);
    const marker = JSON.parse(readFileSync(join(a.path, MARKER_FILE), "utf8")) as Record<string, unknown>;
    expect(marker).toMatchObject({ identity: "otto-cli", repo: t.repo, sidetick: 1 });
    expect(git(a.path, ["status", "--porcelain", "-uall"])).toBe("");
    const list = git(t.repo, ["worktree", "list", "--porcelain"]);
    expect(list).toContain(`worktree ${a.path}`);
    expect(list).toMatch(/locked zeta-pool sidetick of identity otto-cli in pool .*pool/);
    git(t.repo, ["worktree", "prune"]);
    expect(() => git(t.repo, ["worktree", "remove", a.path])).toThrow();
    expect(existsSync(a.path)).toBe(true);
  });

  it("creates the pool on first allocation without init", async () => {
    const t = setup();
    const a = await allocate(t.opts);
    expect(existsSync(join(a.path, "README.md"))).toBe(true);
    expect((await status(t.opts)).identities[0]?.size).toBe(3);
  });

  it("waits for a sidetick to come free", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const a = await allocate(t.opts);
    const waiting = allocate({ ...t.opts, waitSeconds: 20 });
    setTimeout(() => void release({ ...t.opts, leaseId: a.leaseId, path: join(a.path, "src") }), 300);
    expect((await waiting).path).toBe(a.path);
  });
});

describe("leases", () => {
  it("frees a sidetick when the holder process dies", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    const a = await allocate({ ...t.opts, holderPid: holder.pid });
    await expect(allocate(t.opts)).rejects.toBeInstanceOf(NoFreeSidetickError);
    expect((await status(t.opts)).identities[0]?.sideticks[0]).toMatchObject({ state: "leased", holderPid: holder.pid, leaseId: a.leaseId });
    await new Promise((resolve) => holder.on("exit", resolve).kill("SIGKILL"));
    expect((await allocate(t.opts)).path).toBe(a.path);
  });

  it("frees a sidetick when its TTL runs out, and renew extends it", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    let clock = new Date("2030-01-01T00:00:00Z");
    const now = () => clock;
    const a = await allocate({ ...t.opts, now, ttlSeconds: 60 });
    expect(a.expiresAt).toBe("2030-01-01T00:01:00.000Z");
    clock = new Date("2030-01-01T00:00:50Z");
    expect((await renew({ ...t.opts, now, leaseId: a.leaseId, ttlSeconds: 60 })).expiresAt).toBe("2030-01-01T00:01:50.000Z");
    clock = new Date("2030-01-01T00:01:30Z");
    await expect(allocate({ ...t.opts, now })).rejects.toBeInstanceOf(NoFreeSidetickError);
    clock = new Date("2030-01-01T00:01:50Z");
    expect((await allocate({ ...t.opts, now })).path).toBe(a.path);
    await expect(renew({ ...t.opts, now, leaseId: a.leaseId })).rejects.toMatchObject({ exitCode: ExitCode.refused, message: /does not hold/ });
  });

  it("withSidetick holds the lease for exactly the callback", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const inside = await withSidetick(t.opts, async (a) => (await status(t.opts)).identities[0]?.sideticks.find((s) => s.path === a.path)?.state);
    expect(inside).toBe("leased");
    expect((await status(t.opts)).identities[0]?.sideticks[0]?.state).toBe("free");
  });
});

describe("no data loss", () => {
  it("rescues an uncommitted file and an unpushed commit of a released sidetick at the next allocation", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const a = await allocate(t.opts);
    writeFileSync(join(a.path, "committed.txt"), "commit me\n");
    git(a.path, ["add", "committed.txt"]);
    git(a.path, ["commit", "-q", "-m", "unpushed work"]);
    writeFileSync(join(a.path, "README.md"), "changed\n");
    mkdirSync(join(a.path, "new-dir"));
    writeFileSync(join(a.path, "new-dir", "untracked.txt"), "untracked\n");
    await release({ ...t.opts, leaseId: a.leaseId });
    expect((await status(t.opts)).identities[0]?.sideticks[0]?.state).toBe("dirty");
    const b = await allocate(t.opts);
    expect(b.rescued).toHaveLength(1);
    const rescue = b.rescued[0]!;
    expect(rescue.branch).toMatch(/^otto-rescue\/otto-cli\/\d{8}T\d{6}Z-sidetick-1$/);
    expect(rescue.uncommitted).toBe(true);
    expect(git(t.repo, ["show", `${rescue.branch}:committed.txt`])).toBe("commit me");
    expect(git(t.repo, ["show", `${rescue.branch}:README.md`])).toBe("changed");
    expect(git(t.repo, ["show", `${rescue.branch}:new-dir/untracked.txt`])).toBe("untracked");
    expect(git(b.path, ["status", "--porcelain", "-uall"])).toBe("");
    expect(git(b.path, ["rev-parse", "HEAD"])).toBe(git(t.repo, ["rev-parse", "origin/main"]));
  });

  it("makes a taken branch name unique and never moves the existing branch", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    git(t.repo, ["branch", "feature"]);
    git(t.repo, ["commit", "-q", "--allow-empty", "-m", "main moves on"]);
    const before = git(t.repo, ["rev-parse", "feature"]);
    const a = await allocate({ ...t.opts, branch: "feature" });
    const b = await allocate({ ...t.opts, branch: "feature" });
    expect(a.branch).toBe("feature-2");
    expect(b.branch).toBe("feature-3");
    expect(git(t.repo, ["rev-parse", "feature"])).toBe(before);
    expect(git(a.path, ["symbolic-ref", "--short", "HEAD"])).toBe("feature-2");
    // Release detaches: the branch stays with its commits, and is free to be checked out elsewhere.
    git(a.path, ["commit", "-q", "--allow-empty", "-m", "on feature-2"]);
    const tip = git(a.path, ["rev-parse", "HEAD"]);
    await release({ ...t.opts, leaseId: a.leaseId, path: a.path });
    expect(git(t.repo, ["rev-parse", "feature-2"])).toBe(tip);
    const c = await allocate({ ...t.opts, branch: "feature-2" });
    expect(c.branch).toBe("feature-2-2");
    expect(c.rescued).toEqual([]);
  });
});

describe("status", () => {
  it("has the documented shape, with commits behind the base", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const a = await allocate(t.opts);
    git(t.repo, ["commit", "-q", "--allow-empty", "-m", "next"]);
    git(t.repo, ["push", "-q", "origin", "main"]);
    const s = await status({ repo: t.repo, poolRoot: t.poolRoot });
    expect(Object.keys(s).sort()).toEqual(["identities", "otherRepositories", "poolRoot", "repo"]);
    expect(s.identities).toHaveLength(1);
    const [leased, free] = s.identities[0]!.sideticks;
    expect(Object.keys(leased!).sort()).toEqual(["behind", "branch", "expiresAt", "group", "head", "holderPid", "label", "leaseId", "note", "path", "since", "state", "unsaved"]);
    expect(leased).toMatchObject({ path: a.path, state: "leased", leaseId: a.leaseId, holderPid: null, group: null, branch: null, head: a.head, behind: 1 });
    expect(free).toMatchObject({ state: "free", leaseId: null, holderPid: null, since: null, behind: 1 });
  });
});

describe("bad input", () => {
  it.each(["a/b", "..", "has space", "Upper", ""])("rejects the identity %j with exit 2", async (identity) => {
    const t = setup();
    await expect(allocate({ ...t.opts, identity })).rejects.toMatchObject({ exitCode: ExitCode.usage });
  });
  it("rejects a directory that is not a repository with exit 4", async () => {
    const dir = makeTempDir();
    await expect(allocate({ repo: dir, poolRoot: join(dir, "..", "p"), identity: "x" })).rejects.toMatchObject({ exitCode: ExitCode.git, message: /not a git repository/ });
  });
  it("needs a base ref in a repository without origin", async () => {
    const repo = makeRepoWithoutOrigin();
    const poolRoot = join(repo, "..", "pool");
    await expect(init({ repo, poolRoot, identity: "x" })).rejects.toMatchObject({ exitCode: ExitCode.git, message: /no remote "origin"/ });
    const ok = await allocate({ repo, poolRoot, identity: "x", base: "main" });
    expect(ok.base).toBe("main");
  });
  it("rejects a pool root inside the repository with exit 2", async () => {
    const t = setup();
    await expect(init({ ...t.opts, poolRoot: join(t.repo, "pool") })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: /inside the repository/ });
  });
});
