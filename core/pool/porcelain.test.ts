// Pure parsers and pure decisions of the pool: porcelain output, lease liveness, sidetick state, prune protection.
import { describe, expect, it } from "vitest";
import { leaseLiveness, type Lease } from "./leases";
import { parseGitFile, parseHeadFile, parseStatusV2, parseWorktreeList } from "./porcelain";
import { protectionReason } from "./prune";
import { rescueBranchName } from "./rescue";
import { sidetickState } from "./status";

describe("parseWorktreeList", () => {
  it("reads main, detached, locked (with and without reason) and prunable entries", () => {
    const text = [
      "worktree /r", "HEAD aaa", "branch refs/heads/main", "",
      "worktree /p/with space", "HEAD bbb", "detached", "locked zeta-pool x", "",
      "worktree /p/two", "HEAD ccc", "branch refs/heads/feat", "locked", "",
      "worktree /p/gone", "HEAD ddd", "detached", "prunable gitdir file points to non-existent location", "",
    ].join("\0");
    const entries = parseWorktreeList(text);
    expect(entries.map((e) => e.path)).toEqual(["/r", "/p/with space", "/p/two", "/p/gone"]);
    expect(entries[0]).toMatchObject({ head: "aaa", branch: "refs/heads/main", detached: false, locked: undefined });
    expect(entries[1]).toMatchObject({ detached: true, locked: "zeta-pool x", branch: undefined });
    expect(entries[2]?.locked).toBe("");
    expect(entries[3]?.prunable).toMatch(/non-existent/);
  });
  it("returns nothing for empty output", () => {
    expect(parseWorktreeList("")).toEqual([]);
  });
});

describe("parseStatusV2", () => {
  it("reads head, branch and every kind of change, paths with spaces included", () => {
    const text = [
      "# branch.oid 0123456789012345678901234567890123456789",
      "# branch.head feat/x",
      "1 .M N... 100644 100644 100644 aaa bbb dir/a file.txt",
      "2 R. N... 100644 100644 100644 aaa bbb R100 new name.txt",
      "old name.txt",
      "u UU N... 100644 100644 100644 100644 aaa bbb ccc conflict.txt",
      "? untracked dir/",
      "",
    ].join("\0");
    const s = parseStatusV2(text);
    expect(s.head).toBe("0123456789012345678901234567890123456789");
    expect(s.branch).toBe("feat/x");
    expect(s.changes).toEqual(["dir/a file.txt", "new name.txt", "conflict.txt", "untracked dir/"]);
  });
  it("sorts changes into staged, unstaged, unmerged, untracked, ignored and submodules", () => {
    const text = [
      "# branch.oid (initial)",
      "# branch.head gone",
      "1 A. N... 000000 100644 100644 000 aaa staged.txt",
      "1 .M N... 100644 100644 100644 aaa aaa edited.txt",
      "1 .M S.M. 160000 160000 160000 aaa aaa sub",
      "1 .. S..U 160000 160000 160000 aaa aaa sub2",
      "u UU N... 100644 100644 100644 100644 aaa bbb ccc conflict.txt",
      "? new.txt",
      "! .env",
      "! node_modules/",
      "",
    ].join("\0");
    expect(parseStatusV2(text)).toMatchObject({
      head: undefined,
      branch: "gone",
      staged: ["staged.txt"],
      unstaged: ["edited.txt", "sub"],
      unmerged: ["conflict.txt"],
      untracked: ["new.txt"],
      ignored: [".env", "node_modules/"],
      submodules: ["sub", "sub2"],
    });
  });
  it("knows a detached, clean worktree", () => {
    const s = parseStatusV2("# branch.oid abc\0# branch.head (detached)\0");
    expect(s).toMatchObject({ head: "abc", branch: undefined, changes: [], staged: [], unstaged: [], untracked: [], submodules: [] });
  });
});

describe("HEAD and .git files", () => {
  it("tells a symbolic HEAD from a detached one", () => {
    expect(parseHeadFile("ref: refs/heads/main\n")).toEqual({ branch: "refs/heads/main", head: undefined });
    expect(parseHeadFile(`${"a".repeat(40)}\n`)).toEqual({ branch: undefined, head: "a".repeat(40) });
    expect(parseHeadFile("garbage")).toEqual({ branch: undefined, head: undefined });
  });
  it("reads the gitdir of a linked worktree", () => {
    expect(parseGitFile("gitdir: /r/.git/worktrees/sidetick-1\n")).toBe("/r/.git/worktrees/sidetick-1");
    expect(parseGitFile("nonsense")).toBeUndefined();
  });
});

describe("leaseLiveness", () => {
  const now = new Date("2026-05-16T07:00:00Z");
  const lease = (over: Partial<Lease> = {}): Lease => ({
    leaseId: "lease-1", holder: null, pending: null, since: "2026-05-16T06:00:00Z", expiresAt: null, ttlSeconds: null,
    branch: null, base: "origin/main", head: null, ...over,
  });
  const alive = (pids: number[]) => (ref: { pid: number }) => pids.includes(ref.pid);

  it("holds a lease without holder or TTL until it is released", () => {
    expect(leaseLiveness(lease(), now, alive([]))).toBe("active");
    expect(leaseLiveness(null, now, alive([]))).toBe("none");
  });
  it("frees a lease whose TTL ran out, exactly at the expiry", () => {
    expect(leaseLiveness(lease({ expiresAt: "2026-05-16T07:00:01Z" }), now, alive([]))).toBe("active");
    expect(leaseLiveness(lease({ expiresAt: "2026-05-16T07:00:00Z" }), now, alive([]))).toBe("expired");
  });
  it("frees a lease whose holder or pending allocator died", () => {
    expect(leaseLiveness(lease({ holder: { pid: 10 } }), now, alive([10]))).toBe("active");
    expect(leaseLiveness(lease({ holder: { pid: 10 } }), now, alive([]))).toBe("holder-dead");
    expect(leaseLiveness(lease({ pending: { pid: 11 } }), now, alive([10]))).toBe("allocator-dead");
  });
});

describe("sidetickState", () => {
  const base = { exists: true, intact: true, liveness: "none" as const, unsaved: false };
  it("ranks missing and broken over any lease", () => {
    expect(sidetickState({ ...base, exists: false, liveness: "active" })).toBe("missing");
    expect(sidetickState({ ...base, intact: false, liveness: "active" })).toBe("broken");
  });
  it("shows a live lease as leased, unsaved work of a free one as dirty", () => {
    expect(sidetickState({ ...base, liveness: "active", unsaved: true })).toBe("leased");
    expect(sidetickState({ ...base, liveness: "holder-dead", unsaved: true })).toBe("dirty");
    expect(sidetickState(base)).toBe("free");
  });
});

describe("prune protection", () => {
  const entry = { path: "/w", head: "a", branch: undefined, detached: true, bare: false, locked: undefined, prunable: undefined };
  const facts = { marker: undefined, insidePoolRoot: false, isMain: false };
  it("protects the main worktree, locked ones, pool markers and the pool root", () => {
    expect(protectionReason(entry, { ...facts, isMain: true })).toBe("main worktree");
    expect(protectionReason({ ...entry, locked: "busy" }, facts)).toBe("locked: busy");
    expect(protectionReason(entry, { ...facts, marker: "otto-cli" })).toBe("pool sidetick of otto-cli");
    expect(protectionReason(entry, { ...facts, insidePoolRoot: true })).toBe("inside the pool root");
    expect(protectionReason(entry, facts)).toBeUndefined();
  });
});

it("names rescue branches for identity, UTC time and sidetick", () => {
  expect(rescueBranchName("otto-cli", "sidetick-2", new Date("2026-05-16T07:13:05.123Z"))).toBe("otto-rescue/otto-cli/20260516T071305Z-sidetick-2");
});
