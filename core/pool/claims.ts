// The identity-locked critical sections: claim a free sidetick, finish or drop a claim, free a lease.
import { withFileLock } from "./locks";
import { writeJsonAtomic } from "../fs/atomic-write";
import { holdsSidetick, type Lease, type LivenessChecks, recordLiveness, type RecordRead, type SidetickRecord, readRecord } from "./leases";
import { pathPresent, sidetickForeignReason } from "./foreign";
import { processRef } from "../process-liveness";
import { looksIntact, type PoolContext } from "./sidetick";
import { systemChecks } from "./system-checks";

/** A sidetick this process has marked as its own while it works on it. */
export interface Claim {
  n: number;
  lease: Lease;
  /** The lease that held the sidetick before (dead or expired), if any. */
  previous: Lease | null;
}

/** Runs `fn` under the identity's kernel lock. */
export function withIdentityLock<T>(ctx: PoolContext, fn: () => Promise<T>): Promise<T> {
  return withFileLock(ctx.layout.lockFile, fn);
}

/**
 * True when a sidetick's lease holds it right now: an unreadable record holds it too (fail closed), and so does a
 * dead holder's lease while its command's process group lives or a process works in the sidetick. Pass one
 * `checks` (from {@link systemChecks}) to look at many sideticks with one listing of processes.
 */
export function isLeased(record: RecordRead, now: Date, path: string, checks: (path: string) => LivenessChecks = systemChecks()): boolean {
  return holdsSidetick(recordLiveness(record, now, checks(path)));
}

/** Writes a sidetick's record durably (file and directory fsynced): a power loss cannot leave it empty. */
export function writeRecord(ctx: PoolContext, record: SidetickRecord): void {
  writeJsonAtomic(ctx.layout.recordFile(record.sidetick), record, { durable: true });
}

/** Why sidetick `n` is foreign (a symlink, a `.git` leading elsewhere, another repository's marker), or undefined. */
export function foreignReason(ctx: PoolContext, n: number): string | undefined {
  return sidetickForeignReason(ctx.layout.sidetickPath(n), ctx.repo);
}

/** True when sidetick `n` is foreign ({@link foreignReason}): no operation may touch it. */
export function belongsElsewhere(ctx: PoolContext, n: number): boolean {
  return foreignReason(ctx, n) !== undefined;
}

/**
 * Claims the first free sidetick among `candidates` (intact ones before ones needing repair), marking this process
 * as pending so its death frees it again. Returns undefined when every candidate is leased.
 */
export async function claimFree(ctx: PoolContext, candidates: number[], draft: Omit<Lease, "pending" | "since">): Promise<Claim | undefined> {
  return withIdentityLock(ctx, async () => {
    const now = ctx.now();
    const checks = systemChecks();
    const free: { n: number; record: SidetickRecord; intact: boolean }[] = [];
    for (const n of candidates) {
      const record = readRecord(ctx.layout.recordFile(n), n);
      if (isLeased(record, now, ctx.layout.sidetickPath(n), checks) || belongsElsewhere(ctx, n)) continue;
      free.push({ n, record, intact: pathPresent(ctx.layout.sidetickPath(n)) && looksIntact(ctx, n) });
    }
    const pick = free.find((f) => f.intact) ?? free[0];
    if (pick === undefined) return undefined;
    const lease: Lease = { ...draft, pending: processRef(process.pid), since: now.toISOString() };
    writeRecord(ctx, { version: 1, sidetick: pick.n, lease, releasedAt: pick.record.releasedAt });
    return { n: pick.n, lease, previous: pick.record.lease };
  });
}

/** Ends a claim: `finished` replaces its lease (pending cleared); null frees the sidetick. False when the claim was lost. */
export async function settleClaim(ctx: PoolContext, claim: Claim, finished: Lease | null): Promise<boolean> {
  return withIdentityLock(ctx, async () => {
    const record = readRecord(ctx.layout.recordFile(claim.n), claim.n);
    if (record.lease?.leaseId !== claim.lease.leaseId) return false;
    const releasedAt = finished === null ? ctx.now().toISOString() : record.releasedAt;
    writeRecord(ctx, { version: 1, sidetick: claim.n, lease: finished, releasedAt });
    return true;
  });
}

/**
 * Runs `fn` on each free sidetick in turn while claimed (init, refresh, doctor); leased ones are skipped and listed,
 * and so are ones whose marker names another repository (`foreign`).
 */
export async function forEachFree(
  ctx: PoolContext,
  ns: number[],
  base: string,
  fn: (claim: Claim) => Promise<void>,
): Promise<{ skipped: number[]; foreign: number[] }> {
  const skipped: number[] = [];
  const foreign: number[] = [];
  for (const n of ns) {
    if (belongsElsewhere(ctx, n)) {
      foreign.push(n);
      continue;
    }
    const claim = await claimFree(ctx, [n], { leaseId: `maintenance-${process.pid}-${n}`, holder: null, expiresAt: null, ttlSeconds: null, branch: null, base, head: null });
    if (claim === undefined) {
      skipped.push(n);
      continue;
    }
    try {
      await fn(claim);
    } finally {
      await settleClaim(ctx, claim, null);
    }
  }
  return { skipped, foreign };
}
