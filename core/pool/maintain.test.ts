// Pool upkeep against real repositories: resize, refresh (incl. offline), doctor repairs, prune's safety rules.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, makeRepoWithOrigin } from "../../test-support/git";
import { allocate, doctor, init, prune, refresh, release, status } from "./index";

function setup() {
  const t = makeRepoWithOrigin({ "README.md": "hello\n" });
  const poolRoot = join(t.root, "pool");
  return { ...t, poolRoot, opts: { repo: t.repo, poolRoot, identity: "otto-cli" } };
}

const states = async (opts: { repo: string; poolRoot: string; identity: string }) =>
  (await status(opts)).identities[0]?.sideticks.map((s) => `${s.path.split("/").pop()}:${s.state}`);

describe("resize", () => {
  it("grows at once and shrinks only free, clean sideticks", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    expect((await init({ ...t.opts, size: 4 })).created).toHaveLength(3);
    const a = await allocate(t.opts); // sidetick-1, leased
    await allocate(t.opts); // sidetick-2, leased
    const c = await allocate(t.opts); // sidetick-3
    writeFileSync(join(c.path, "wip.txt"), "unsaved\n");
    await release({ ...t.opts, leaseId: c.leaseId });
    const shrunk = await init({ ...t.opts, size: 1 });
    expect(shrunk.removed).toEqual([join(t.poolRoot, "otto-cli", "sidetick-4")]);
    expect(shrunk.kept.map((k) => k.reason).sort()).toEqual(["holds work: unsaved: untracked (wip.txt)", "leased"]);
    expect(existsSync(join(c.path, "wip.txt"))).toBe(true);
    expect(existsSync(join(t.poolRoot, "otto-cli", "sidetick-4"))).toBe(false);
    expect(await states(t.opts)).toEqual(["sidetick-1:leased", "sidetick-2:leased", "sidetick-3:dirty"]);
    expect(a.sidetick).toBe("sidetick-1");
  });
});

describe("refresh", () => {
  it("fetches the base once and moves free sideticks to it; leased ones stay", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const held = await allocate(t.opts);
    // Another clone pushes; only a fetch makes origin/main move here.
    const other = join(t.root, "other");
    git(t.root, ["clone", "-q", t.origin, other]);
    git(other, ["commit", "-q", "--allow-empty", "-m", "upstream work"]);
    git(other, ["push", "-q", "origin", "main"]);
    const result = await refresh(t.opts);
    expect(result).toMatchObject({ fetched: "origin", fetchError: null, skipped: [held.path] });
    expect(result.commit).toBe(git(other, ["rev-parse", "HEAD"]));
    const free = (await status(t.opts)).identities[0]!.sideticks.find((s) => s.path !== held.path)!;
    expect(free).toMatchObject({ state: "free", head: result.commit, behind: 0 });
    expect((await status(t.opts)).identities[0]!.sideticks.find((s) => s.path === held.path)?.behind).toBe(1);
  });

  it("reports a failed fetch and keeps working on the last fetched base", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    git(t.repo, ["remote", "set-url", "origin", join(t.root, "gone.git")]);
    const result = await refresh(t.opts);
    expect(result.fetched).toBeNull();
    expect(result.fetchError).toMatch(/fetch/);
    expect(result.refreshed).toHaveLength(1);
    expect((await allocate(t.opts)).head).toBe(git(t.repo, ["rev-parse", "origin/main"]));
  });
});

describe("doctor", () => {
  it("restores a deleted sidetick directory and saves its commits that no branch held", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const a = await allocate(t.opts);
    git(a.path, ["commit", "-q", "--allow-empty", "-m", "only here"]);
    const lost = git(a.path, ["rev-parse", "HEAD"]);
    await release({ ...t.opts, leaseId: a.leaseId });
    rmSync(a.path, { recursive: true, force: true });
    const found = await doctor({ repo: t.repo, poolRoot: t.poolRoot });
    expect(found.healthy).toBe(false);
    expect(found.problems.map((p) => p.problem)).toContain("missing");
    const fixed = await doctor({ repo: t.repo, poolRoot: t.poolRoot, fix: true });
    expect(fixed.healthy).toBe(true);
    const rescued = fixed.problems.flatMap((p) => p.rescued);
    expect(rescued.map((r) => r.commit)).toContain(lost);
    expect(existsSync(join(a.path, "README.md"))).toBe(true);
    expect(await states(t.opts)).toEqual(["sidetick-1:free", "sidetick-2:free"]);
    expect((await doctor({ repo: t.repo, poolRoot: t.poolRoot })).problems).toEqual([]);
  });

  it("finds a lost marker, a lost lock and a dirty free sidetick, and repairs them without losing the work", async () => {
    const t = setup();
    await init({ ...t.opts, size: 2 });
    const s1 = join(t.poolRoot, "otto-cli", "sidetick-1");
    const s2 = join(t.poolRoot, "otto-cli", "sidetick-2");
    rmSync(join(s1, ".zeta-pool-owner"));
    git(t.repo, ["worktree", "unlock", s1]);
    writeFileSync(join(s2, "wip.txt"), "keep me\n");
    const found = await doctor({ repo: t.repo, poolRoot: t.poolRoot, fix: true });
    expect(found.problems.map((p) => `${p.path?.split("/").pop()}:${p.problem}:${p.fixed}`).sort()).toEqual([
      "sidetick-1:broken:true",
      "sidetick-1:unlocked:true",
      "sidetick-2:dirty:true",
    ]);
    const branch = found.problems.flatMap((p) => p.rescued)[0]?.branch ?? "";
    expect(git(t.repo, ["show", `${branch}:wip.txt`])).toBe("keep me");
    expect(git(t.repo, ["worktree", "list", "--porcelain"]).match(/locked zeta-pool/g)).toHaveLength(2);
    expect(await states(t.opts)).toEqual(["sidetick-1:free", "sidetick-2:free"]);
  });
});

describe("prune", () => {
  it("removes only clean, merged or pushed non-pool worktrees", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const loose = join(t.root, "loose");
    mkdirSync(loose);
    const add = (name: string, ...extra: string[]) => {
      const path = join(loose, name);
      git(t.repo, ["worktree", "add", "-q", ...extra, path, "origin/main"]);
      return path;
    };
    const merged = add("merged", "--detach");
    const pushed = add("pushed", "-b", "pushed-branch");
    git(pushed, ["commit", "-q", "--allow-empty", "-m", "pushed"]);
    git(pushed, ["push", "-q", "origin", "pushed-branch"]);
    const dirty = add("dirty", "--detach");
    writeFileSync(join(dirty, "wip.txt"), "x\n");
    const unpushed = add("unpushed", "-b", "local-only");
    git(unpushed, ["commit", "-q", "--allow-empty", "-m", "local"]);
    const detachedWork = add("detached-work", "--detach");
    git(detachedWork, ["commit", "-q", "--allow-empty", "-m", "nowhere else"]);
    const locked = add("locked", "--detach");
    git(t.repo, ["worktree", "lock", locked]);

    const dry = await prune({ repo: t.repo, poolRoot: t.poolRoot, dryRun: true, minAgeSeconds: 0 });
    expect(dry.removed.map((r) => r.path).sort()).toEqual([merged, pushed].sort());
    expect(existsSync(merged)).toBe(true);
    const done = await prune({ repo: t.repo, poolRoot: t.poolRoot, minAgeSeconds: 0 });
    expect(done.removed.map((r) => r.path).sort()).toEqual([merged, pushed].sort());
    expect(existsSync(merged) || existsSync(pushed)).toBe(false);
    const kept = Object.fromEntries(done.kept.map((k) => [k.path.split("/").pop(), k.reason]));
    expect(kept).toMatchObject({
      dirty: "unsaved: untracked (wip.txt)",
      unpushed: "commits not merged or pushed",
      "detached-work": "unsaved: detached-commits",
      locked: "locked",
      "sidetick-1": expect.stringMatching(/locked|pool sidetick/) as unknown,
    });
    // Even unlocked, a sidetick is protected by its marker.
    git(t.repo, ["worktree", "unlock", join(t.poolRoot, "otto-cli", "sidetick-1")]);
    const again = await prune({ repo: t.repo, poolRoot: join(t.root, "elsewhere"), minAgeSeconds: 0 });
    expect(again.kept.find((k) => k.path.endsWith("sidetick-1"))?.reason).toBe("pool sidetick of otto-cli");
  });
});
