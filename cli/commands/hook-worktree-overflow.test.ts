// An overflow sidetick whose Claude Code was SIGKILLed (no WorktreeRemove) is removed at the next allocation, safely.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { git, makeRepoWithOrigin } from "../../test-support/git";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

// A live process (a stand-in for Claude Code, or for a shell working in a sidetick), killed by its pid in the test.
function sleeper(cwd?: string): ChildProcess {
  const child = spawn("sleep", ["600"], { stdio: "ignore", ...(cwd === undefined ? {} : { cwd }) });
  children.push(child);
  if (child.pid === undefined) throw new Error("sleep did not start");
  return child;
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

function setup(size: number, files?: Record<string, string>) {
  const t = makeRepoWithOrigin(files);
  const home = join(t.root, "home");
  mkdirSync(home, { recursive: true });
  const env = { HOME: home, OTTO_POOL_LEASE: "" };
  const state = join(t.root, "state");
  const pool = (sub: string, args: string[] = []) => runCli(["pool", sub, "--repo", t.repo, "--identity", "otto-cli", "--home", state, ...args], { env });
  expect(pool("init", ["--size", String(size)]).code).toBe(0);
  const hook = (name: string, event: Record<string, unknown>, holder: ChildProcess) =>
    runCli(["hook", name, "--surface", "otto-cli", "--pid", String(holder.pid), "--home", state], { env, input: JSON.stringify(event) });
  // WorktreeCreate for a session held by `holder`; returns the sidetick's path and what the hook said on stderr.
  const create = (name: string, sessionId: string, holder: ChildProcess) => {
    const made = hook("worktree-create", { session_id: sessionId, cwd: t.repo, hook_event_name: "WorktreeCreate", name }, holder);
    expect(made.code, made.stderr).toBe(0);
    return { path: made.stdout.trim(), stderr: made.stderr };
  };
  const remove = (path: string, sessionId: string) => {
    const removed = hook("worktree-remove", { session_id: sessionId, cwd: path, hook_event_name: "WorktreeRemove", worktree_path: path }, sleeper());
    expect(removed.code, removed.stderr).toBe(0);
  };
  const rescued = () => JSON.parse(pool("rescued", ["--json"]).stdout) as { branch: string }[];
  const registered = () => git(t.repo, ["worktree", "list", "--porcelain"]);
  return { ...t, pool, create, remove, rescued, registered };
}

describe("a dead session's overflow sidetick", () => {
  it("is removed at the next allocation, its unsaved work rescued first and its branch kept; a normal sidetick whose holder died is left as it is", async () => {
    const t = setup(3);
    const [a, b, c, d, e] = [sleeper(), sleeper(), sleeper(), sleeper(), sleeper()];
    t.create("a", "s-a", a);
    const normal = t.create("b", "s-b", b).path;
    const third = t.create("c", "s-c", c).path;
    const overflow = t.create("d", "s-d", d);
    expect(overflow.stderr).toMatch(/made one more, sidetick-4/);
    writeFileSync(join(normal, "normal.txt"), "normal work\n");
    writeFileSync(join(overflow.path, "committed.txt"), "on branch d\n");
    git(overflow.path, ["add", "committed.txt"]);
    git(overflow.path, ["commit", "-q", "-m", "work on d"]);
    const committed = git(overflow.path, ["rev-parse", "HEAD"]).trim();
    writeFileSync(join(overflow.path, "notes.txt"), "overflow work\n");
    t.remove(third, "s-c");
    // Claude Code killed outright: no WorktreeRemove, no SessionEnd.
    await sigkill(b);
    await sigkill(d);

    const next = t.create("e", "s-e", e);
    expect(next.path).toBe(third);
    expect(existsSync(overflow.path)).toBe(false);
    expect(t.registered()).not.toContain(overflow.path);
    expect(next.stderr).toMatch(/removed the overflow sidetick \S+\/sidetick-4/);
    const rescued = t.rescued();
    expect(rescued).toHaveLength(1);
    expect(rescued[0]?.branch).toMatch(/^otto-rescue\/otto-cli\/.*-sidetick-4$/);
    expect(git(t.repo, ["show", `${rescued[0]?.branch}:notes.txt`]).trim()).toBe("overflow work");
    expect(git(t.repo, ["rev-parse", "d"]).trim()).toBe(committed);
    // The pool's own sidetick keeps its dead holder's work where it is (the next allocation that takes it rescues it).
    expect(readFileSync(join(normal, "normal.txt"), "utf8")).toBe("normal work\n");
    expect(t.registered()).toContain(normal);
    const status = JSON.parse(t.pool("status", ["--json"]).stdout) as { identities: { sideticks: { path: string }[] }[] };
    expect(status.identities[0]?.sideticks.map((s) => s.path)).not.toContain(overflow.path);
  });

  it("is kept while another process works in it, and removed at the first allocation after that process is gone", async () => {
    const t = setup(1);
    const [a, b, c, d] = [sleeper(), sleeper(), sleeper(), sleeper()];
    const own = t.create("a", "s-a", a).path;
    const overflow = t.create("b", "s-b", b).path;
    writeFileSync(join(overflow, "notes.txt"), "overflow work\n");
    t.remove(own, "s-a");
    await sigkill(b);
    const shell = sleeper(overflow);

    const kept = t.create("c", "s-c", c);
    expect(kept.path).toBe(own);
    expect(readFileSync(join(overflow, "notes.txt"), "utf8")).toBe("overflow work\n");
    expect(t.rescued()).toHaveLength(0);
    t.remove(own, "s-c");

    await sigkill(shell);
    // Through `pool allocate` this time: every allocation sweeps.
    const next = t.pool("allocate", ["--holder-pid", String(d.pid)]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout.trim()).toBe(own);
    expect(next.stderr).toMatch(/otto-tray pool: removed the overflow sidetick \S+\/sidetick-2/);
    expect(existsSync(overflow)).toBe(false);
    const rescued = t.rescued();
    expect(rescued).toHaveLength(1);
    expect(git(t.repo, ["show", `${rescued[0]?.branch}:notes.txt`]).trim()).toBe("overflow work");
  });

  it("holding git-ignored files is kept (removal would lose them) and the allocation says why", async () => {
    const t = setup(1, { ".gitignore": ".env\n" });
    const [a, b, c] = [sleeper(), sleeper(), sleeper()];
    const own = t.create("a", "s-a", a).path;
    const overflow = t.create("b", "s-b", b).path;
    writeFileSync(join(overflow, ".env"), "SECRET=1\n");
    t.remove(own, "s-a");
    await sigkill(b);

    const next = t.create("c", "s-c", c);
    expect(next.path).toBe(own);
    expect(next.stderr).toMatch(/kept the free overflow sidetick \S+\/sidetick-2: unsaved: ignored \(\.env\): kept, as removing it would lose them/);
    expect(readFileSync(join(overflow, ".env"), "utf8")).toBe("SECRET=1\n");
    expect(t.registered()).toContain(overflow);
  });
});
