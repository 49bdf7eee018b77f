// `claude --worktree` served by the pool: WorktreeCreate leases a sidetick, WorktreeRemove rescues and frees it, SessionEnd keeps it.
import { existsSync, readdirSync } from "node:fs";
import { OttoError, ExitCode } from "../errors";
import { type Allocation, allocate, sidetickOfPath } from "./allocate";
import { forEachFree, foreignReason, withIdentityLock, writeRecord } from "./claims";
import { openPool, type PoolOptions } from "./context";
import { NoFreeSidetickError, RefusedError } from "./errors";
import { parseSidetickName, sidetickName } from "./layout";
import { DEFAULT_TTL_SECONDS, expiryFor, readRecord } from "./leases";
import { resolveBase } from "./repo";
import { type RescueReport, save } from "./rescue";
import { detachHead, looksIntact, removeSidetick, resetToBase } from "./sidetick";
import { inspect } from "./worktree-safety";

/** Options of {@link createSessionWorktree}: the pool of the repository in the hook's `cwd`, for the surface as identity. */
export interface SessionWorktreeOptions extends PoolOptions {
  /** The worktree's name (`claude --worktree NAME`): the new branch is named after it. */
  name: string;
  sessionId: string | null;
  /** Claude Code's process: the lease lasts while it lives (then while anything works in the sidetick). */
  holderPid: number | undefined;
}

/** What {@link createSessionWorktree} did. */
export interface SessionWorktree {
  allocation: Allocation;
  /** True when every sidetick was leased and one beyond the pool's size was made for this session. */
  overflow: boolean;
  /** True when the repository had no pool for the identity: the caller fills the rest in the background. */
  firstUse: boolean;
  /** The base ref used (passed on to the background fill so it makes the same sideticks). */
  base: string | undefined;
}

/**
 * The base of a session's sidetick: the one asked for, stored or preferred, else origin/main, else (a repository
 * without that remote, as many a person's is) the repository's HEAD, so `claude -w` works without configuration.
 */
async function sessionBase(repo: Parameters<typeof resolveBase>[0], stored: string | undefined): Promise<string | undefined> {
  if (stored !== undefined) return stored;
  try {
    await resolveBase(repo, undefined);
    return undefined;
  } catch {
    return "HEAD";
  }
}

/**
 * Leases a sidetick for a Claude Code session on a new branch named after the worktree. When every sidetick is
 * leased it makes one more (up to twice the pool's size) rather than fail the person's `claude -w`; past that cap
 * it refuses with an OttoError saying so (exit 3).
 */
export async function createSessionWorktree(options: SessionWorktreeOptions): Promise<SessionWorktree> {
  const pool = await openPool(options);
  const base = await sessionBase(pool.ctx.repo, pool.baseRef);
  const request = {
    ...options,
    base,
    branch: options.name,
    holderPid: options.holderPid,
    label: { name: options.name, sessionId: options.sessionId },
  };
  const firstUse = pool.config === undefined;
  try {
    return { allocation: await allocate(request), overflow: false, firstUse, base };
  } catch (error) {
    if (!(error instanceof NoFreeSidetickError)) throw error;
  }
  try {
    return { allocation: await allocate({ ...request, overflow: true }), overflow: true, firstUse, base };
  } catch (error) {
    if (!(error instanceof NoFreeSidetickError)) throw error;
    throw new OttoError(
      `every sidetick of ${pool.ctx.layout.identity} for ${pool.ctx.repo.root} is leased, and so are the ${pool.size} extra ones (the cap is twice the pool's size of ${pool.size}): no worktree made`,
      { exitCode: ExitCode.noFreeSidetick, hint: "end a session working in one, or grow the pool (otto-tray pool init --size N)" },
    );
  }
}

/** Options of {@link removeSessionWorktree}. */
export interface RemoveSessionWorktreeOptions extends Omit<PoolOptions, "repo"> {
  worktreePath: string;
  /** The session asking: only a lease labelled with it is given back (null: the hook input named none). */
  sessionId: string | null;
}

/** What {@link removeSessionWorktree} did. */
export interface RemovedSessionWorktree {
  path: string;
  sidetick: string;
  rescued: RescueReport[];
  /** True when the sidetick was one made beyond the pool's size and is gone now. */
  removed: boolean;
}

/**
 * "Remove worktree": saves unsaved work to a rescue branch at once (the person asked to remove, but work is never
 * lost), puts the sidetick back at its base and frees it. A lease labelled with another session is refused (exit 5),
 * and so is work that cannot be saved (the lease then stays). A sidetick beyond the pool's size is removed once free.
 */
export async function removeSessionWorktree(options: RemoveSessionWorktreeOptions): Promise<RemovedSessionWorktree> {
  const pool = await openPool({ ...options, repo: options.worktreePath });
  const { ctx } = pool;
  const n = sidetickOfPath(ctx, options.worktreePath);
  const path = ctx.layout.sidetickPath(n);
  const rescued: RescueReport[] = [];
  await withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(n), n);
    if (record.unreadable !== undefined) throw new RefusedError(`${record.unreadable}: the lease on ${path} is kept`, "otto-tray pool doctor --fix repairs it");
    const lease = record.lease;
    if (lease === null) return;
    const owner = lease.label?.sessionId ?? null;
    if (options.sessionId !== null && owner !== options.sessionId) {
      throw new RefusedError(`${path} is leased to ${owner === null ? "someone other than a Claude Code session" : `session ${owner}`}, not ${options.sessionId}: left as it is`);
    }
    const foreign = foreignReason(ctx, n);
    if (foreign === undefined && looksIntact(ctx, n)) {
      const verdict = await inspect(path, lease.head === null ? {} : { base: lease.head });
      const report = await save({ path, verdict, identity: ctx.layout.identity, sidetick: sidetickName(n), reason: "worktree-remove", now: ctx.now() });
      if (report !== undefined) rescued.push(report);
      const at = lease.head ?? (verdict.kind === "unknown" ? undefined : verdict.head);
      // Saved above, so the reset loses nothing; the session's branch keeps its commits.
      if (verdict.kind !== "clean" && at !== undefined) await resetToBase(path, at, true);
      else await detachHead(path);
    }
    writeRecord(ctx, { version: 1, sidetick: n, lease: null, releasedAt: ctx.now().toISOString() });
  });
  let removed = false;
  if (n > pool.size) {
    // An extra sidetick goes again once free and clean (ignored files included: removal would lose them).
    await forEachFree(ctx, [n], "worktree-remove", async () => {
      if ((await inspect(path, { ignored: true })).kind !== "clean") return;
      await removeSidetick(ctx, n);
      removed = true;
    });
  }
  return { path, sidetick: sidetickName(n), rescued, removed };
}

/** Options of {@link keepSessionWorktrees}. */
export interface KeepSessionWorktreesOptions extends PoolOptions {
  sessionId: string;
}

/**
 * "Keep worktree" (SessionEnd without WorktreeRemove): the session's leases lose their holder and become 24-hour
 * leases, so the kept worktree is not handed to someone else when Claude Code exits. Returns the paths kept.
 */
export async function keepSessionWorktrees(options: KeepSessionWorktreesOptions): Promise<string[]> {
  const { ctx } = await openPool(options);
  if (!existsSync(ctx.layout.metaDir)) return [];
  return withIdentityLock(ctx, async () => {
    const kept: string[] = [];
    for (const file of readdirSync(ctx.layout.metaDir)) {
      const n = file.endsWith(".json") ? parseSidetickName(file.slice(0, -".json".length)) : undefined;
      if (n === undefined) continue;
      const record = readRecord(ctx.layout.recordFile(n), n);
      const lease = record.lease;
      if (lease === null || lease.label?.sessionId !== options.sessionId || lease.holder === null) continue;
      const ttlSeconds = DEFAULT_TTL_SECONDS;
      writeRecord(ctx, { ...record, lease: { ...lease, holder: null, ttlSeconds, expiresAt: expiryFor(ctx.now(), ttlSeconds) } });
      kept.push(ctx.layout.sidetickPath(n));
    }
    return kept;
  });
}
