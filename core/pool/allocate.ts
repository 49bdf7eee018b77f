// Allocate, release and renew: leases on sideticks, handed out clean at the base ref with any earlier work rescued.
import { readdirSync, realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { UsageError } from "../errors";
import { type Claim, claimFree, foreignReason, isLeased, settleClaim, withIdentityLock, writeRecord } from "./claims";
import { type OpenPool, openPool, type PoolOptions } from "./context";
import { GitError, LeaseNotFoundError, NoFreeSidetickError, RefusedError } from "./errors";
import { runGit, sleep } from "./git";
import { parseSidetickName, readIdentityConfig, sidetickName, writeIdentityConfig } from "./layout";
import { DEFAULT_TTL_SECONDS, expiryFor, type Lease, type LeaseLabel, leaseLiveness, lingering, newLeaseId, readRecord, UNREADABLE_REPAIR } from "./leases";
import { isProcessAlive, type ProcessRef, processRef } from "../process-liveness";
import { type OverflowSweep, sweepFreedOverflow } from "./overflow-sweep";
import { type BaseRef, resolveBase } from "./repo";
import { type RescueReport, save } from "./rescue";
import { clearStaleIndexLock } from "./stale-lock";
import { detachHead, ensureSidetick, looksIntact, type PoolContext, resetToBase } from "./sidetick";
import { systemChecks } from "./system-checks";
import { worktreeGitDir } from "./worktree-files";
import { describeVerdict, inspect, type WorktreeVerdict } from "./worktree-safety";

/** Options of {@link allocate}. */
export interface AllocateOptions extends PoolOptions {
  /** Create this new branch in the sidetick (made unique when taken; an existing branch is never reused or moved). */
  branch?: string | undefined;
  /** The lease ends when this process dies (default: no holder; held until released or expired). */
  holderPid?: number | undefined;
  /** The lease ends this many seconds from now unless renewed; ignored while a holder lives (default: 24 h without a holder). */
  ttlSeconds?: number | undefined;
  /** Who the lease is for (a Claude Code session's worktree name and id), kept in its record. */
  label?: LeaseLabel | undefined;
  /**
   * Take one of the sideticks beyond the pool's size (size+1 … 2×size), made for this lease, instead of the pool's
   * own: for a caller that must not fail when every sidetick is leased. Every later allocation removes them once
   * free (overflow-sweep.ts, saving their work first), and so does `pool init`.
   */
  overflow?: boolean | undefined;
  /** Keep trying this long when every sidetick is leased (default 0: fail at once with exit 3). */
  waitSeconds?: number | undefined;
}

/** A leased sidetick (the `pool allocate --json` shape, plus what was rescued on the way). */
export interface Allocation {
  path: string;
  identity: string;
  sidetick: string;
  leaseId: string;
  branch: string | null;
  head: string;
  base: string;
  expiresAt: string | null;
  /** Work of an earlier holder saved before the reset (empty when there was none). */
  rescued: RescueReport[];
  /** Free overflow sideticks (a dead holder's, never given back) removed or kept on the way, with their saved work. */
  swept: OverflowSweep;
}

/** Leases a free sidetick of the identity, reset to the base ref (creating or repairing it when needed). */
export async function allocate(options: AllocateOptions): Promise<Allocation> {
  const pool = await openPool(options);
  const { ctx } = pool;
  if (options.holderPid !== undefined && (!Number.isSafeInteger(options.holderPid) || options.holderPid <= 0 || !isProcessAlive({ pid: options.holderPid }))) {
    throw new UsageError(`--holder-pid ${options.holderPid} is not a running process`);
  }
  if (options.ttlSeconds !== undefined && !(options.ttlSeconds > 0)) throw new UsageError("--ttl must be more than 0 seconds");
  const base = await resolveBase(ctx.repo, pool.baseRef);
  if (pool.config === undefined) initConfig(pool);
  const candidates = Array.from({ length: pool.size }, (_, i) => i + 1 + (options.overflow === true ? pool.size : 0));
  const draft = {
    leaseId: newLeaseId(),
    holder: options.holderPid === undefined ? null : processRef(options.holderPid),
    ...(options.label === undefined ? {} : { label: options.label }),
    expiresAt: null,
    // No lease lives forever: without a holder whose death ends it, the TTL defaults to a day.
    ttlSeconds: options.ttlSeconds ?? (options.holderPid === undefined ? DEFAULT_TTL_SECONDS : null),
    branch: null,
    base: base.ref,
    head: null,
  };
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  const deadline = Date.now() + waitMs;
  let delay = 25;
  // Free sideticks whose work cannot be saved (changes in a submodule, unreadable state) stay as they are.
  const refused: { sidetick: number; error: RefusedError }[] = [];
  for (;;) {
    const usable = candidates.filter((n) => !refused.some((r) => r.sidetick === n));
    let claim = usable.length === 0 ? undefined : await claimFree(ctx, usable, draft);
    if (usable.length === 0 && refused[0] !== undefined) throw refused[0].error;
    if (claim !== undefined) {
      let verdict: WorktreeVerdict | undefined;
      try {
        ({ claim, verdict } = await preferClean(ctx, claim, usable, draft, base.commit));
        const prepared = await prepare(ctx, claim.n, base, options.branch, "allocate", verdict);
        const lease: Lease = { ...claim.lease, pending: null, branch: prepared.branch, head: base.commit, expiresAt: expiryFor(ctx.now(), draft.ttlSeconds) };
        if (!(await settleClaim(ctx, claim, lease))) throw new Error(`lost the claim on ${sidetickName(claim.n)} while preparing it`);
        // Only now: an overflow allocation above takes a freed overflow sidetick rather than make a new one.
        const swept = await sweepFreedOverflow(pool);
        return {
          path: ctx.layout.sidetickPath(claim.n),
          identity: ctx.layout.identity,
          sidetick: sidetickName(claim.n),
          leaseId: lease.leaseId,
          branch: prepared.branch,
          head: base.commit,
          base: base.ref,
          expiresAt: lease.expiresAt,
          rescued: prepared.rescued,
          swept,
        };
      } catch (error) {
        await settleClaim(ctx, claim, null);
        if (!(error instanceof RefusedError)) throw error;
        refused.push({ sidetick: claim.n, error });
        continue;
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) throw refused[0]?.error ?? new NoFreeSidetickError(ctx.layout.identity, pool.size, options.waitSeconds ?? 0, heldNotes(ctx, candidates));
    await sleep(Math.min(left, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 1.5, 500);
  }
}

// Sideticks held by something other than a live lease, said in one line each so the refusal names what to do.
function heldNotes(ctx: PoolContext, candidates: number[]): string[] {
  const notes: string[] = [];
  const checks = systemChecks();
  for (const n of candidates) {
    const record = readRecord(ctx.layout.recordFile(n), n);
    const foreign = foreignReason(ctx, n);
    if (foreign !== undefined) notes.push(`${sidetickName(n)}: ${foreign}`);
    else if (record.unreadable !== undefined) notes.push(`${sidetickName(n)}: ${record.unreadable}; counted as held (${UNREADABLE_REPAIR})`);
    else if (record.lease !== null && leaseLiveness(record.lease, ctx.now(), checks(ctx.layout.sidetickPath(n))) === "orphaned") {
      notes.push(`${sidetickName(n)}: its holder (pid ${record.lease.holder?.pid ?? "?"}) died, but ${lingering(record.lease, checks(ctx.layout.sidetickPath(n)), ctx.layout.identity) ?? "something still works in it"}: held until then`);
    }
  }
  return notes;
}

// A first allocation without `pool init` records the pool, so status and doctor know the identity.
function initConfig(pool: OpenPool): void {
  const { layout, repo, now } = pool.ctx;
  if (readIdentityConfig(layout) !== undefined) return;
  writeIdentityConfig(layout, { version: 1, identity: layout.identity, repo: repo.root, size: pool.size, base: null, createdAt: now().toISOString() });
}

// A claimed sidetick that holds work is swapped for a free clean one when there is one (a dirty one forces a rescue).
// The clean one is inspected again once claimed; a warm, clean first pick costs one `git status` as before.
async function preferClean(ctx: PoolContext, claim: Claim, candidates: number[], draft: Omit<Lease, "pending" | "since">, base: string) {
  if (!looksIntact(ctx, claim.n)) return { claim, verdict: undefined };
  await clearStaleIndexLock(ctx.layout.sidetickPath(claim.n), worktreeGitDir(ctx.layout.sidetickPath(claim.n)));
  const verdict = await inspect(ctx.layout.sidetickPath(claim.n), { base });
  if (verdict.kind === "clean") return { claim, verdict };
  for (const n of candidates) {
    if (n === claim.n || !looksIntact(ctx, n) || isLeased(readRecord(ctx.layout.recordFile(n), n), ctx.now(), ctx.layout.sidetickPath(n))) continue;
    // Read-only (no optional locks): safe on a sidetick this process has not claimed.
    if ((await inspect(ctx.layout.sidetickPath(n), { base })).kind !== "clean") continue;
    const other = await claimFree(ctx, [n], draft);
    if (other === undefined) continue;
    await settleClaim(ctx, claim, null);
    return { claim: other, verdict: undefined };
  }
  return { claim, verdict };
}

/**
 * Makes a claimed sidetick ready: repair if needed, save any earlier work, reset to base only when it is not there
 * already (a warm, clean sidetick costs one `git status`), then create the requested branch. `known` is a verdict
 * taken under this same claim. Throws a RefusedError, leaving the sidetick untouched, when its work cannot be saved.
 */
export async function prepare(ctx: PoolContext, n: number, base: BaseRef, branch: string | undefined, reason = "allocate", known?: WorktreeVerdict) {
  const path = ctx.layout.sidetickPath(n);
  // Claims skip foreign sideticks; this catches one swapped in since (no rescue, reset or repair may run there).
  const foreign = foreignReason(ctx, n);
  if (foreign !== undefined) throw new RefusedError(`${path}: ${foreign}`);
  const rescued: RescueReport[] = [];
  let verdict = known;
  if (!looksIntact(ctx, n)) {
    rescued.push(...(await ensureSidetick(ctx, n, base.commit)).rescued);
    verdict = undefined;
  }
  if (verdict === undefined) {
    await clearStaleIndexLock(path, worktreeGitDir(path));
    verdict = await inspect(path, { base: base.commit });
  }
  const clean = verdict.kind === "clean";
  if (verdict.kind !== "clean" || verdict.branch !== undefined || verdict.head !== base.commit) {
    const report = await save({ path, verdict, identity: ctx.layout.identity, sidetick: sidetickName(n), reason, now: ctx.now() });
    if (report) rescued.push(report);
    await resetToBase(path, base.commit, !clean);
  }
  return { branch: branch === undefined ? null : await createBranch(path, branch), rescued };
}

// `git switch -c` never moves an existing branch; a taken name gets -2, -3… (also when another agent wins a race).
async function createBranch(path: string, wanted: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    try {
      await runGit(path, ["switch", "-q", "-c", name]);
      return name;
    } catch (error) {
      const stderr = error instanceof GitError ? (error.result?.stderr ?? "") : "";
      if (/already exists/.test(stderr)) continue;
      if (/not a valid branch name/.test(stderr)) throw new UsageError(`--branch: ${JSON.stringify(wanted)} is not a valid branch name`);
      throw error;
    }
  }
  throw new UsageError(`--branch: no free name near ${JSON.stringify(wanted)}`);
}

/** Options of {@link release}: the lease being given back (and optionally a path inside its sidetick, checked against it). */
export interface ReleaseOptions extends PoolOptions {
  leaseId: string | undefined;
  path?: string | undefined;
}

/** What {@link release} did. */
export interface ReleaseResult {
  path: string;
  sidetick: string;
  released: boolean;
  leaseId: string | null;
  /** What a person should know (the sidetick turned foreign and was left as it is); null when nothing. */
  note: string | null;
  /**
   * The unsaved work the sidetick still holds, in words ("unsaved: untracked (draft.txt)"); null when none. It
   * stays there, untouched, until the sidetick's next allocation (or `pool doctor --fix`) saves it to a rescue branch.
   */
  unsaved: string | null;
}

/** How to name the lease, for every message that asks for it. */
export const LEASE_HINT =
  "pass --lease ID (allocate prints `lease: ID` on stderr and leaseId in --json) or set OTTO_POOL_LEASE (pool with sets it for CMD)";

/**
 * Frees the sidetick `leaseId` holds: detaches its HEAD (the branch stays, with its commits) and drops the lease.
 * Only the current lease may be released: a lease that ran out and whose sidetick went to someone else is refused
 * (exit 5) and frees nothing. Work left behind is rescued at the next allocation.
 */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const { ctx } = await openPool(options);
  const leaseId = options.leaseId;
  if (leaseId === undefined || leaseId === "") throw new UsageError("pool release must name the lease it gives back", LEASE_HINT);
  const n = options.path !== undefined ? sidetickOfPath(ctx, options.path) : await sidetickOfLease(ctx, leaseId);
  const path = ctx.layout.sidetickPath(n);
  return withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(n), n);
    if (record.lease?.leaseId !== leaseId) throw new LeaseNotFoundError(`lease ${leaseId}`, ctx.layout.identity);
    // The lease is given back either way; a foreign directory in the sidetick's place is not touched (no git runs there).
    const foreign = foreignReason(ctx, n);
    const intact = foreign === undefined && looksIntact(ctx, n);
    if (intact) await detachHead(path);
    // Read before the lease is given back (nobody else can touch it yet): the holder learns what it leaves behind.
    const verdict = intact ? await inspect(path) : undefined;
    writeRecord(ctx, { version: 1, sidetick: n, lease: null, releasedAt: ctx.now().toISOString() });
    const unsaved = verdict === undefined || verdict.kind === "clean" ? null : describeVerdict(verdict);
    return { path, sidetick: sidetickName(n), released: true, leaseId, note: foreign === undefined ? null : `${path}: ${foreign}`, unsaved };
  });
}

/** Options of {@link attachGroup}. */
export interface AttachGroupOptions extends PoolOptions {
  leaseId: string;
  /** The process group of the command run in the sidetick (pid: its id, start: its leader's start time). */
  group: ProcessRef;
}

/**
 * Records the process group of the command a lease's holder runs (`pool with`): from then on the lease also holds
 * while any process of that group lives, so a killed holder does not hand the sidetick on under a running command.
 * False when the lease no longer holds its sidetick.
 */
export async function attachGroup(options: AttachGroupOptions): Promise<boolean> {
  const { ctx } = await openPool(options);
  const n = await sidetickOfLease(ctx, options.leaseId);
  return withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(n), n);
    if (record.lease === null || record.lease.leaseId !== options.leaseId) return false;
    writeRecord(ctx, { ...record, lease: { ...record.lease, group: options.group } });
    return true;
  });
}

/** Options of {@link renew}. */
export interface RenewOptions extends PoolOptions {
  leaseId: string;
  /** New time to live from now; default the lease's own TTL (a lease without one just stays held). */
  ttlSeconds?: number | undefined;
}

/** Extends a lease; fails when the lease no longer holds its sidetick (released, or taken over after it ran out). */
export async function renew(options: RenewOptions): Promise<{ leaseId: string; path: string; expiresAt: string | null }> {
  const { ctx } = await openPool(options);
  if (options.ttlSeconds !== undefined && !(options.ttlSeconds > 0)) throw new UsageError("--ttl must be more than 0 seconds");
  const n = await sidetickOfLease(ctx, options.leaseId);
  return withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(n), n);
    const lease = record.lease;
    if (lease === null || lease.leaseId !== options.leaseId) throw new LeaseNotFoundError(`lease ${options.leaseId}`, ctx.layout.identity);
    const ttl = options.ttlSeconds ?? lease.ttlSeconds ?? (lease.holder === null ? DEFAULT_TTL_SECONDS : null);
    const renewed: Lease = { ...lease, ttlSeconds: ttl, expiresAt: expiryFor(ctx.now(), ttl) };
    writeRecord(ctx, { ...record, lease: renewed });
    return { leaseId: lease.leaseId, path: ctx.layout.sidetickPath(n), expiresAt: renewed.expiresAt };
  });
}

/** The sidetick number of a path inside one of the identity's sideticks (UsageError when it is not in one). */
export function sidetickOfPath(ctx: PoolContext, path: string): number {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new UsageError(`--path ${path} does not exist`);
  }
  const rel = relative(ctx.layout.dir, real);
  const n = rel.startsWith("..") ? undefined : parseSidetickName(rel.split(sep)[0] ?? "");
  if (n === undefined) throw new UsageError(`--path ${path} is not a sidetick of ${ctx.layout.identity} (under ${ctx.layout.dir})`);
  return n;
}

async function sidetickOfLease(ctx: PoolContext, leaseId: string | undefined): Promise<number> {
  if (leaseId === undefined || leaseId === "") throw new UsageError("pass --lease ID", LEASE_HINT);
  let names: string[] = [];
  try {
    names = readdirSync(ctx.layout.metaDir);
  } catch {
    // No pool yet: no lease either.
  }
  for (const name of names) {
    const n = parseSidetickName(name.replace(/\.json$/, ""));
    if (n === undefined || !name.endsWith(".json")) continue;
    if (readRecord(ctx.layout.recordFile(n), n).lease?.leaseId === leaseId) return n;
  }
  throw new LeaseNotFoundError(`lease ${leaseId}`, ctx.layout.identity);
}
