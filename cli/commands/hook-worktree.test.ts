// `claude --worktree`'s hooks through the built CLI, fed the events Claude Code sends, on real git repositories.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";

const holders: ChildProcess[] = [];
afterEach(() => {
  for (const child of holders.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

// A stand-in for the Claude Code process that holds the lease (the installed hook passes its pid as "$PPID").
function holder(): number {
  const child = spawn("sleep", ["600"], { stdio: "ignore" });
  holders.push(child);
  if (child.pid === undefined) throw new Error("sleep did not start");
  return child.pid;
}

function setup() {
  const t = makeRepoWithOrigin();
  const home = join(t.root, "home");
  mkdirSync(home, { recursive: true });
  const env = { HOME: home, OTTO_POOL_LEASE: "" };
  const hook = (name: string, event: Record<string, unknown>, pid = holder()) =>
    runCli(["hook", name, "--surface", "otto-cli", "--pid", String(pid), "--home", join(t.root, "state")], { env, input: JSON.stringify(event) });
  const pool = (sub: string, args: string[] = []) => runCli(["pool", sub, "--repo", t.repo, "--identity", "otto-cli", "--home", join(t.root, "state"), ...args], { env });
  const create = (name: string, sessionId: string, pid?: number) =>
    hook("worktree-create", { session_id: sessionId, transcript_path: "/dev/null", cwd: t.repo, hook_event_name: "WorktreeCreate", name }, pid);
  // The sidetick's path, checked, so a failed create never sends a test's writes elsewhere.
  const created = (name: string, sessionId: string, pid?: number) => {
    const made = create(name, sessionId, pid);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^\/\S+\/sidetick-\d+\n$/);
    return made.stdout.trim();
  };
  const status = () => JSON.parse(pool("status", ["--json"]).stdout) as { identities: { size: number; sideticks: { path: string; state: string; leaseId: string | null }[] }[] };
  // A pool made beforehand: no background fill outlives the test.
  const initialised = () => {
    expect(pool("init", ["--size", "1"]).code).toBe(0);
  };
  return { ...t, env, hook, pool, create, created, status, initialised };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe("hook worktree-create / worktree-remove", () => {
  it("two sessions get two different sideticks on branches named after their worktrees; the pool is filled in the background", async () => {
    const t = setup();
    const a = t.create("a", "session-a");
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^\/\S+\/otto-cli\/sidetick-\d\n$/);
    const b = t.create("b", "session-b");
    expect(b.code, b.stderr).toBe(0);
    const pathA = a.stdout.trim();
    const pathB = b.stdout.trim();
    expect(pathB).not.toBe(pathA);
    expect(git(pathA, ["branch", "--show-current"]).trim()).toBe("a");
    expect(git(pathB, ["branch", "--show-current"]).trim()).toBe("b");
    // The first use made the pool: the rest of the default size comes from a detached `pool init`.
    await until("the pool has its default 3 sideticks", () => t.status().identities[0]?.sideticks.filter((s) => existsSync(s.path)).length === 3);
    const leased = t.status().identities[0]?.sideticks.filter((s) => s.state === "leased").map((s) => s.path);
    expect(leased?.sort()).toEqual([pathA, pathB].sort());
    const labelled = JSON.parse(t.pool("status", ["--json"]).stdout) as { identities: { sideticks: { path: string; label: unknown }[] }[] };
    expect(labelled.identities[0]?.sideticks.find((s) => s.path === pathA)?.label).toEqual({ name: "a", sessionId: "session-a" });
  });

  it("remove rescues a dirty file to a rescue branch (listed by pool rescued) and frees the sidetick", () => {
    const t = setup();
    t.initialised();
    const path = t.created("feature", "session-r");
    writeFileSync(join(path, "notes.txt"), "unsaved\n");
    const removed = t.hook("worktree-remove", { session_id: "session-r", cwd: path, hook_event_name: "WorktreeRemove", worktree_path: path });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toMatch(/saved the unsaved work of .* to branch otto-rescue\/otto-cli\//);
    const rescued = JSON.parse(t.pool("rescued", ["--json"]).stdout) as { branch: string }[];
    expect(rescued).toHaveLength(1);
    expect(git(t.repo, ["show", `${rescued[0]?.branch}:notes.txt`]).trim()).toBe("unsaved");
    const sidetick = t.status().identities[0]?.sideticks.find((s) => s.path === path);
    expect(sidetick?.state).toBe("free");
    expect(existsSync(join(path, "notes.txt"))).toBe(false);
  });

  it("remove by another session is refused with one line and frees nothing", () => {
    const t = setup();
    t.initialised();
    const path = t.created("mine", "session-1");
    const removed = t.hook("worktree-remove", { session_id: "session-2", cwd: path, hook_event_name: "WorktreeRemove", worktree_path: path });
    expect(removed.code).toBe(5);
    expect(removed.stderr.trim().split("\n")).toHaveLength(1);
    expect(t.status().identities[0]?.sideticks.find((s) => s.path === path)?.state).toBe("leased");
  });

  it("a cwd that is not a git repository exits non-zero with one line", () => {
    const t = setup();
    const plain = makeTempDir("otto-not-repo-");
    const r = t.hook("worktree-create", { session_id: "s", cwd: plain, hook_event_name: "WorktreeCreate", name: "x" });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not .*git repository/i);
  });

  it("with every sidetick leased makes one more (said once), up to twice the size, then refuses; the extra one goes after remove", () => {
    const t = setup();
    t.initialised();
    const first = t.create("one", "s1");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe("");
    const extra = t.create("two", "s2");
    expect(extra.code, extra.stderr).toBe(0);
    expect(extra.stderr.trim().split("\n")).toHaveLength(1);
    expect(extra.stderr).toMatch(/every sidetick of otto-cli was leased: made one more, sidetick-2/);
    const refused = t.create("three", "s3");
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/the cap is twice the pool's size of 1/);
    const path = extra.stdout.trim();
    const removed = t.hook("worktree-remove", { session_id: "s2", cwd: path, hook_event_name: "WorktreeRemove", worktree_path: path });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(git(t.repo, ["branch", "--list", "two"]).trim()).toBe("two");
  });

  it("SessionEnd without WorktreeRemove (Keep worktree) turns the lease into a 24-hour lease with no holder", () => {
    const t = setup();
    t.initialised();
    const claude = holder();
    const path = t.created("kept", "session-k", claude);
    const kept = t.hook("worktree-keep", { session_id: "session-k", cwd: t.repo, hook_event_name: "SessionEnd", reason: "prompt_input_exit" }, claude);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout + kept.stderr).toBe("");
    holders.find((h) => h.pid === claude)?.kill("SIGKILL");
    const status = JSON.parse(t.pool("status", ["--json"]).stdout) as { identities: { sideticks: { path: string; state: string; holderPid: number | null; expiresAt: string | null }[] }[] };
    const sidetick = status.identities[0]?.sideticks.find((s) => s.path === path);
    expect(sidetick?.state).toBe("leased");
    expect(sidetick?.holderPid).toBeNull();
    const hours = (Date.parse(sidetick?.expiresAt ?? "") - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
  });
});
