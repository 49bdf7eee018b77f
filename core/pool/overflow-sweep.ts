// Removes free overflow sideticks (made beyond the pool's size for a lease whose holder died), saving their work first.
import { readdirSync, rmSync } from "node:fs";
import { describeError } from "../errors";
import { type Claim, claimFree, foreignReason, withIdentityLock, writeRecord } from "./claims";
import type { OpenPool } from "./context";
import { RefusedError } from "./errors";
import { parseSidetickName, sidetickName } from "./layout";
import { readRecord } from "./leases";
import { listProcessCwds, processesWorkingIn } from "./process-cwd";
import { type RescueReport, save } from "./rescue";
import { looksIntact, type PoolContext, removeSidetick, resetToBase } from "./sidetick";
import { clearStaleIndexLock } from "./stale-lock";
import { worktreeGitDir } from "./worktree-files";
import { describeVerdict, inspect } from "./worktree-safety";

/** What {@link sweepFreedOverflow} did: sideticks removed, kept (with why), and work saved on the way. */
export interface OverflowSweep {
  removed: string[];
  kept: { path: string; reason: string }[];
  rescued: RescueReport[];
}

/**
 * The overflow sideticks on disk: size+1 … 2×size, the ones `allocate({ overflow: true })` makes. The pool's own
 * (1 … size) are never among them; neither are ones beyond 2×size (left by shrinking, which `pool init` handles).
 */
function overflowOnDisk(ctx: PoolContext, size: number): number[] {
  let names: string[];
  try {
    names = readdirSync(ctx.layout.dir);
  } catch {
    return [];
  }
  return names
    .map(parseSidetickName)
    .filter((n): n is number => n !== undefined && n > size && n <= 2 * size)
    .sort((a, b) => a - b);
}

/**
 * Removes every overflow sidetick no lease holds: one whose holder died without giving it back (a SIGKILLed Claude
 * Code runs no WorktreeRemove) or that was given back but not removed then. Each is claimed under the pool lock
 * first, as allocate claims (a live lease, a live allocator, a dead holder's lingering processes or an unreadable
 * record keep it held, so two agents never work on one). Then, failing closed: a foreign or broken one, one a
 * process works in (or where nobody can tell), one whose state cannot be read or whose work cannot be saved, and
 * one holding git-ignored files (removal would lose them) is kept and said why; otherwise its unsaved work goes to
 * an `otto-rescue/` branch, it is reset, and `git worktree remove` (no --force) removes it. Branches stay. Only a
 * pool with a stored size is swept: without one, nobody can tell which sideticks are the pool's own.
 */
export async function sweepFreedOverflow(pool: OpenPool): Promise<OverflowSweep> {
  const result: OverflowSweep = { removed: [], kept: [], rescued: [] };
  if (pool.config === undefined) return result;
  const { ctx } = pool;
  for (const n of overflowOnDisk(ctx, pool.config.size)) {
    const path = ctx.layout.sidetickPath(n);
    try {
      const kept = await sweepOne(ctx, n, result.rescued);
      if (kept === null) result.removed.push(path);
      else if (kept !== undefined) result.kept.push({ path, reason: kept });
    } catch (error) {
      // The sweep runs on the way out of an allocation, which it must never fail: what went wrong is said instead.
      result.kept.push({ path, reason: `${describeError(error)}; left as it is` });
    }
  }
  return result;
}

// Claims, then removes one overflow sidetick. Returns null once removed, why it was kept, or undefined when it is
// leased (not free: nothing to say).
async function sweepOne(ctx: PoolContext, n: number, rescued: RescueReport[]): Promise<string | null | undefined> {
  const foreign = foreignReason(ctx, n);
  if (foreign !== undefined) return foreign;
  const claim = await claimFree(ctx, [n], { leaseId: `maintenance-${process.pid}-${n}`, holder: null, expiresAt: null, ttlSeconds: null, branch: null, base: "overflow-sweep", head: null });
  if (claim === undefined) return undefined;
  let removed = false;
  try {
    const kept = await removeClaimed(ctx, claim, rescued);
    removed = kept === undefined;
    return kept ?? null;
  } finally {
    await finish(ctx, claim, removed);
  }
}

// Why a process working in the sidetick keeps it, or undefined when none does (one fresh listing each time asked).
function busyReason(path: string): string | undefined {
  const pids = processesWorkingIn(path, listProcessCwds());
  if (pids === undefined) return "nobody can tell here whether a process works in it (no /proc, no lsof): kept";
  return pids.length > 0 ? `process(es) ${pids.slice(0, 5).join(", ")} work in it: kept` : undefined;
}

// Saves, resets and removes one claimed overflow sidetick; returns why it was kept instead, or undefined once removed.
async function removeClaimed(ctx: PoolContext, claim: Claim, rescued: RescueReport[]): Promise<string | undefined> {
  const n = claim.n;
  const path = ctx.layout.sidetickPath(n);
  if (!looksIntact(ctx, n)) return "not a whole sidetick (its .git link, admin directory or marker is missing): kept; otto-tray pool doctor --fix repairs it";
  const busy = busyReason(path);
  if (busy !== undefined) return busy;
  await clearStaleIndexLock(path, worktreeGitDir(path));
  const head = claim.previous?.head ?? undefined;
  const verdict = await inspect(path, head === undefined ? {} : { base: head });
  if (verdict.kind === "unknown") return `${describeVerdict(verdict)}: kept; look at it with git status`;
  if (verdict.kind === "dirty") {
    let report: RescueReport | undefined;
    try {
      report = await save({ path, verdict, identity: ctx.layout.identity, sidetick: sidetickName(n), reason: "overflow-removal", now: ctx.now() });
    } catch (error) {
      if (error instanceof RefusedError) return error.message;
      throw error;
    }
    if (report !== undefined) rescued.push(report);
    // Saved above (ignored files aside, which a reset keeps), so the reset loses nothing; a branch keeps its commits.
    const at = head ?? verdict.head ?? verdict.lastHead;
    if (at === undefined) return `${describeVerdict(verdict)}, and no commit to reset it to: kept`;
    if (verdict.reasons.some((r) => r !== "ignored" && r !== "detached-commits")) await resetToBase(path, at, true);
  }
  // Removal, unlike a reset, loses git-ignored files (`.env`, `node_modules`): they keep the sidetick.
  const left = await inspect(path, { ignored: true });
  if (left.kind !== "clean") {
    return `${describeVerdict(left)}: kept, as removing it would lose them; delete them (or move them away) and the next allocation removes it`;
  }
  // A process may have come in meanwhile: look again just before the removal.
  const lateBusy = busyReason(path);
  if (lateBusy !== undefined) return lateBusy;
  await removeSidetick(ctx, n);
  return undefined;
}

// Ends the claim under the pool lock: a removed sidetick's record goes with it; a kept one is left free.
async function finish(ctx: PoolContext, claim: Claim, removed: boolean): Promise<void> {
  await withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(claim.n), claim.n);
    if (record.lease?.leaseId !== claim.lease.leaseId) return;
    if (removed) rmSync(ctx.layout.recordFile(claim.n), { force: true });
    else writeRecord(ctx, { version: 1, sidetick: claim.n, lease: null, releasedAt: ctx.now().toISOString() });
  });
}

/** The sweep in lines for people (rescued work first, so its branch is named before the sidetick is said gone). */
export function describeSweep(swept: OverflowSweep): string[] {
  return [
    ...swept.rescued.map((r) => `saved the unsaved work of the overflow sidetick ${r.path} to branch ${r.branch} (otto-tray pool rescued lists it)`),
    ...swept.removed.map((path) => `removed the overflow sidetick ${path}: its lease had ended without it being given back`),
    ...swept.kept.map((k) => `kept the free overflow sidetick ${k.path}: ${k.reason}`),
  ];
}
