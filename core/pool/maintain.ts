// Pool upkeep: init (create, grow, shrink to the configured size) and refresh (one serialized fetch, reset free sideticks).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { UsageError } from "../errors";
import { prepare } from "./allocate";
import { belongsElsewhere, forEachFree, foreignReason } from "./claims";
import { openPool, type PoolOptions } from "./context";
import { gitTimeoutMs, runGit } from "./git";
import { fetchLockFile, parseSidetickName, writeIdentityConfig } from "./layout";
import { withFileLock } from "./locks";
import { type BaseRef, resolveBase } from "./repo";
import type { RescueReport } from "./rescue";
import { ensureSidetick, looksIntact, type PoolContext, removeSidetick } from "./sidetick";
import { describeVerdict, inspect } from "./worktree-safety";

/** Options of {@link init}. */
export interface InitOptions extends PoolOptions {
  /** Pool size 1–8 (default: the stored size, else `defaultSize`, else 3). Growing adds sideticks; shrinking removes only free, clean ones. */
  size?: number | undefined;
}

/** What {@link init} did. */
export interface InitResult {
  identity: string;
  poolRoot: string;
  size: number;
  base: string;
  created: string[];
  repaired: string[];
  removed: string[];
  /** Sideticks beyond the size that stay because they are leased or hold unsaved work. */
  kept: { path: string; reason: string }[];
  rescued: RescueReport[];
}

/** Creates (or repairs, grows, shrinks) an identity's pool; idempotent. */
export async function init(options: InitOptions): Promise<InitResult> {
  const pool = await openPool(options);
  const { ctx } = pool;
  if (options.size !== undefined && (!Number.isInteger(options.size) || options.size < 1 || options.size > 8)) {
    throw new UsageError(`--size ${options.size} is not an integer from 1 to 8`);
  }
  const size = options.size ?? pool.config?.size ?? options.defaultSize ?? 3;
  const base = await resolveBase(ctx.repo, pool.baseRef);
  writeIdentityConfig(ctx.layout, {
    version: 1,
    identity: ctx.layout.identity,
    repo: ctx.repo.root,
    size,
    base: options.base ?? pool.config?.base ?? null,
    createdAt: pool.config?.createdAt ?? ctx.now().toISOString(),
  });
  const result: InitResult = { identity: ctx.layout.identity, poolRoot: ctx.poolRoot, size, base: base.ref, created: [], repaired: [], removed: [], kept: [], rescued: [] };
  // Foreign sideticks (another repository's, a symlink…) go through forEachFree too, so they are reported as kept (and left alone).
  const wanted = range(1, size).filter((n) => belongsElsewhere(ctx, n) || !looksIntact(ctx, n));
  const { skipped, foreign } = await forEachFree(ctx, wanted, base.ref, async (claim) => {
    const done = await ensureSidetick(ctx, claim.n, base.commit);
    (done.created ? result.created : result.repaired).push(ctx.layout.sidetickPath(claim.n));
    result.rescued.push(...done.rescued);
  });
  for (const n of skipped) result.kept.push({ path: ctx.layout.sidetickPath(n), reason: "leased (left as it is)" });
  for (const n of foreign) result.kept.push({ path: ctx.layout.sidetickPath(n), reason: foreignNote(ctx, n) });
  await shrink(ctx, size, result);
  return result;
}

// Why a foreign sidetick was left alone (it may have changed since it was skipped: say what it is now).
function foreignNote(ctx: PoolContext, n: number): string {
  return foreignReason(ctx, n) ?? "it was foreign when looked at (left alone)";
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Sidetick numbers present on disk or in records, beyond `size`. */
function beyond(ctx: PoolContext, size: number): number[] {
  const found = new Set<number>();
  for (const dir of [ctx.layout.dir, ctx.layout.metaDir]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const n = parseSidetickName(name.replace(/\.json$/, ""));
      if (n !== undefined && n > size) found.add(n);
    }
  }
  return [...found].sort((a, b) => a - b);
}

// Shrinking removes a sidetick only when it is free and has nothing unsaved; anything else stays and is reported.
async function shrink(ctx: PoolContext, size: number, result: InitResult): Promise<void> {
  const extra = beyond(ctx, size);
  const { skipped, foreign } = await forEachFree(ctx, extra, "shrink", async (claim) => {
    const path = ctx.layout.sidetickPath(claim.n);
    if (existsSync(path)) {
      // Removal loses ignored files too (a reset keeps them), so they keep the sidetick as well.
      const verdict = await inspect(path, { ignored: true });
      if (verdict.kind !== "clean") {
        result.kept.push({ path, reason: `holds work: ${describeVerdict(verdict)}` });
        return;
      }
      await removeSidetick(ctx, claim.n);
    }
    result.removed.push(path);
  });
  for (const n of extra) {
    if (!skipped.includes(n) && !foreign.includes(n) && result.removed.includes(ctx.layout.sidetickPath(n))) rmSync(ctx.layout.recordFile(n), { force: true });
  }
  for (const n of skipped) result.kept.push({ path: ctx.layout.sidetickPath(n), reason: "leased" });
  for (const n of foreign) result.kept.push({ path: ctx.layout.sidetickPath(n), reason: foreignNote(ctx, n) });
}

/** What {@link refresh} did. */
export interface RefreshResult {
  identity: string;
  base: string;
  commit: string;
  /** The remote fetched, or null when the base is not a remote-tracking ref. */
  fetched: string | null;
  /** Why the fetch failed (offline…); the pool then keeps working on the last fetched base. */
  fetchError: string | null;
  refreshed: string[];
  skipped: string[];
  rescued: RescueReport[];
}

/** Fetches the base's remote once (serialized per repository), then resets every free sidetick to the new base. */
export async function refresh(options: PoolOptions): Promise<RefreshResult> {
  const pool = await openPool(options);
  const { ctx } = pool;
  const ref = pool.baseRef ?? "origin/main";
  const remotes = (await runGit(ctx.repo.root, ["remote"])).stdout.split("\n").filter((r) => r !== "");
  const remote = remotes.find((r) => ref.startsWith(`${r}/`)) ?? null;
  let fetchError: string | null = null;
  if (remote !== null) {
    await withFileLock(fetchLockFile(ctx.repo), async () => {
      try {
        // Offline networks hang rather than fail: the fetch keeps its shorter bound (the pool goes on with the last base).
        await runGit(ctx.repo.root, ["fetch", "--quiet", remote], { timeoutMs: Math.min(120_000, gitTimeoutMs()) });
      } catch (error) {
        fetchError = (error as Error).message;
      }
    });
  }
  const base: BaseRef = await resolveBase(ctx.repo, pool.baseRef);
  const result: RefreshResult = { identity: ctx.layout.identity, base: base.ref, commit: base.commit, fetched: fetchError === null ? remote : null, fetchError, refreshed: [], skipped: [], rescued: [] };
  const { skipped, foreign } = await forEachFree(ctx, range(1, pool.size), base.ref, async (claim) => {
    const prepared = await prepare(ctx, claim.n, base, undefined, "refresh");
    result.rescued.push(...prepared.rescued);
    result.refreshed.push(ctx.layout.sidetickPath(claim.n));
  });
  result.skipped = [...skipped, ...foreign].sort((a, b) => a - b).map((n) => ctx.layout.sidetickPath(n));
  return result;
}
