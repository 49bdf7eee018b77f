// `pool doctor`: finds missing, broken, dirty or foreign sideticks and stale leases; with fix, repairs them without losing work.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { prepare } from "./allocate";
import { claimFree, settleClaim, withIdentityLock, writeRecord } from "./claims";
import { RefusedError } from "./errors";
import { locate, type PoolLocation } from "./context";
import { FOREIGN_HINT, foreignPathReason, otherRepoMarkerOfDirectory } from "./foreign";
import { repairEmptyCommondirs } from "./half-made-worktree";
import { identityLayout, parseIdentity, readIdentityConfig, repoLockFile } from "./layout";
import { withFileLock } from "./locks";
import { holdsSidetick, leaseLiveness, readRecord } from "./leases";
import { ensureMarkerExcluded, MARKER_FILE, readMarker, writeMarker } from "./marker";
import { processesWorkingIn } from "./process-cwd";
import { resolveBase } from "./repo";
import type { RescueReport } from "./rescue";
import { ensureSidetick, listWorktrees, type PoolContext, sidetickMarker } from "./sidetick";
import { listPoolIdentities, status } from "./status";
import { systemChecks } from "./system-checks";

/**
 * Kinds of problem doctor knows. "other-repo": a pool or sidetick another repository made (its config or marker
 * names it), reported and never touched. "foreign-directory": a symlink, another repository's worktree or a
 * repository of its own in a sidetick's place, reported and never touched (a person moves it away).
 * "unreadable-lease": a lease record that cannot be read (counted as held).
 */
export type ProblemKind =
  | "missing"
  | "broken"
  | "dirty"
  | "foreign"
  | "foreign-directory"
  | "other-repo"
  | "unlocked"
  | "stale-lease"
  | "unreadable-lease"
  | "marker-not-excluded";

/** One finding. */
export interface Problem {
  identity: string | null;
  path: string | null;
  problem: ProblemKind;
  detail: string;
  fixed: boolean;
  /** True when a repair was refused to protect work (it needs --force): the CLI then exits 5. */
  refused: boolean;
  rescued: RescueReport[];
}

/** What {@link doctor} found and did. */
export interface DoctorResult {
  repo: string;
  poolRoot: string;
  /** True when nothing is left to fix. */
  healthy: boolean;
  problems: Problem[];
  /** Identities asked for (listed in the preferences, or --identity) whose pool was never created: not problems; init creates them. */
  notCreated: string[];
}

/** Options of {@link doctor}. */
export interface DoctorOptions extends PoolLocation {
  fix?: boolean | undefined;
  /** With fix: repair an unreadable lease record even while processes work in the sidetick (or nobody can tell). */
  force?: boolean | undefined;
  identity?: string | undefined;
  identities?: readonly string[] | undefined;
  defaultSize?: number | undefined;
  defaultBase?: string | undefined;
}

/** Checks every pool under the root (or one identity's) and, with `fix`, repairs what it safely can. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  const { repo, poolRoot, now } = await locate(options);
  const fix = options.fix ?? false;
  const problems: Problem[] = [];
  const asked = options.identity !== undefined ? [parseIdentity(options.identity)] : [...new Set([...listPoolIdentities(poolRoot), ...(options.identities ?? [])])].sort();
  // A pool nobody created (no directory of its own) has no sideticks to be missing: init creates it, doctor repairs.
  const notCreated = asked.filter((identity) => !existsSync(identityLayout(poolRoot, identity).dir));
  const names = asked.filter((identity) => !notCreated.includes(identity));
  const exclude = join(repo.commonDir, "info", "exclude");
  if (names.length > 0 && !(existsSync(exclude) && readFileSync(exclude, "utf8").includes(`/${MARKER_FILE}`))) {
    if (fix) ensureMarkerExcluded(repo.commonDir);
    problems.push({ identity: null, path: exclude, problem: "marker-not-excluded", detail: `${MARKER_FILE} is not in info/exclude`, fixed: fix, refused: false, rescued: [] });
  }
  if (fix) {
    // Before anything lists worktrees: a killed `git worktree add` may have left an empty commondir that makes git die.
    for (const admin of await withFileLock(repoLockFile(repo), async () => repairEmptyCommondirs(repo.commonDir, poolRoot))) {
      problems.push({ identity: null, path: admin, problem: "broken", detail: "empty commondir left by a killed git worktree add: restored", fixed: true, refused: false, rescued: [] });
    }
  }
  const worktrees = await listWorktrees(repo);
  const checks = systemChecks();
  for (const identity of names) {
    const layout = identityLayout(poolRoot, identity);
    const config = readIdentityConfig(layout);
    if (config !== undefined && config.repo !== repo.root) {
      problems.push({ identity, path: layout.dir, problem: "other-repo", detail: `pool of the repository ${config.repo}: left alone (use a --pool-root of this repository's own)`, fixed: false, refused: false, rescued: [] });
      continue;
    }
    const ctx: PoolContext = { repo, poolRoot, layout, now };
    // doctor takes no --base: the pool's own base is changed with init.
    const base = await resolveBase(repo, config?.base ?? options.defaultBase, `give the pool a base with otto-tray pool init --identity ${identity} --base REF`);
    const size = config?.size ?? options.defaultSize ?? 3;
    const shown = (await status({ ...options, identity })).identities[0]?.sideticks ?? [];
    for (let n = 1; n <= size; n++) {
      const path = layout.sidetickPath(n);
      const entry = worktrees.find((w) => w.path === path);
      // Before anything reads through it: a symlink or another repository's worktree in the slot is reported, never repaired.
      const foreign = foreignPathReason(path, repo);
      if (foreign !== undefined && otherRepoMarkerOfDirectory(path, repo) === undefined) {
        problems.push({ identity, path, problem: "foreign-directory", detail: `${foreign}: ${FOREIGN_HINT}`, fixed: false, refused: false, rescued: [] });
        continue;
      }
      const marker = existsSync(path) ? readMarker(path) : undefined;
      if (marker !== undefined && typeof marker.repo === "string" && marker.repo !== repo.root) {
        problems.push({ identity, path, problem: "other-repo", detail: `marker names ${marker.identity} of the repository ${marker.repo}: left alone`, fixed: false, refused: false, rescued: [] });
        continue;
      }
      let record = readRecord(layout.recordFile(n), n);
      if (record.unreadable !== undefined) {
        const repair = fix ? await repairUnreadable(ctx, n, record.unreadable, options.force ?? false) : { fixed: false, refused: false, detail: `${record.unreadable}; counted as held (repair: pool doctor --fix)` };
        problems.push({ identity, path, problem: "unreadable-lease", ...repair, rescued: [] });
        if (!repair.fixed) continue;
        record = readRecord(layout.recordFile(n), n);
      }
      // A record repaired just now: look again (the status above saw it unreadable).
      const seen = shown.find((s) => s.path === path)?.state === "unreadable" ? (await status({ ...options, identity })).identities[0]?.sideticks : shown;
      const state = seen?.find((s) => s.path === path)?.state ?? "missing";
      const liveness = leaseLiveness(record.lease, now(), checks(path));
      const found: { problem: ProblemKind; detail: string }[] = [];
      if (state === "missing") found.push({ problem: "missing", detail: entry ? "directory deleted (still registered)" : "directory and registration gone" });
      else if (marker !== undefined && (marker.identity !== identity || marker.repo !== repo.root)) found.push({ problem: "foreign", detail: `marker names ${marker.identity} of ${marker.repo}` });
      else if (state === "broken") found.push({ problem: "broken", detail: entry === undefined ? "not a registered worktree" : "marker or .git link missing" });
      if (state !== "missing" && entry !== undefined && entry.locked === undefined) found.push({ problem: "unlocked", detail: "not git-worktree-locked" });
      if (state === "dirty") found.push({ problem: "dirty", detail: `free, but holds ${shown.find((s) => s.path === path)?.unsaved ?? "unsaved work"}` });
      if (liveness !== "none" && !holdsSidetick(liveness)) found.push({ problem: "stale-lease", detail: `lease ${record.lease?.leaseId} is ${liveness}` });
      if (found.length === 0) continue;
      let fixed = false;
      const rescued: RescueReport[] = [];
      if (fix) {
        const claim = await claimFree(ctx, [n], { leaseId: `doctor-${process.pid}-${n}`, holder: null, expiresAt: null, ttlSeconds: null, branch: null, base: base.ref, head: null });
        if (claim !== undefined) {
          try {
            if (found.some((f) => f.problem !== "stale-lease" && f.problem !== "dirty")) {
              // A marker naming someone else in this identity's slot is wrong by layout: the slot is ours.
              if (found.some((f) => f.problem === "foreign")) writeMarker(path, sidetickMarker(ctx, n));
              rescued.push(...(await ensureSidetick(ctx, n, base.commit)).rescued);
            }
            rescued.push(...(await prepare(ctx, n, base, undefined, "doctor")).rescued);
            fixed = true;
          } catch (error) {
            // Work that cannot be saved (a submodule's changes, an unreadable state) is left and reported, not lost.
            if (!(error instanceof RefusedError)) throw error;
            for (const f of found) f.detail = `${f.detail}; left as it is: ${error.message}`;
          } finally {
            await settleClaim(ctx, claim, null);
          }
        } else if (found.every((f) => f.problem === "missing" || f.problem === "unlocked")) {
          // Leased but gone: restoring the directory and lock cannot hurt the holder, who has nothing there.
          rescued.push(...(await ensureSidetick(ctx, n, base.commit)).rescued);
          fixed = true;
        }
      }
      for (const f of found) problems.push({ identity, path, ...f, fixed, refused: false, rescued });
    }
  }
  // A stale lease (holder dead, or run out) leaves a free sidetick: reported, but nothing is left to fix.
  return { repo: repo.root, poolRoot, healthy: problems.every((p) => p.fixed || p.problem === "stale-lease"), problems, notCreated };
}

/**
 * Rewrites an unreadable lease record as free, only when no process is seen working in the sidetick (its cwd in
 * it) or with `force`. Where the platform cannot tell (no /proc), it refuses without `force`.
 */
function repairUnreadable(ctx: PoolContext, n: number, why: string, force: boolean): Promise<{ fixed: boolean; refused: boolean; detail: string }> {
  return withIdentityLock(ctx, async () => {
    // Someone may have rewritten it meanwhile (a release by its holder): then there is nothing to repair.
    if (readRecord(ctx.layout.recordFile(n), n).unreadable === undefined) return { fixed: true, refused: false, detail: `${why}; rewritten meanwhile` };
    return repairUnreadableLocked(ctx, n, why, force);
  });
}

function repairUnreadableLocked(ctx: PoolContext, n: number, why: string, force: boolean): { fixed: boolean; refused: boolean; detail: string } {
  const path = ctx.layout.sidetickPath(n);
  // This doctor itself may run from inside the sidetick (--repo defaults to the current directory): not a worker.
  const workers = existsSync(path) ? processesWorkingIn(path)?.filter((pid) => pid !== process.pid) : [];
  if (!force && workers === undefined) {
    return { fixed: false, refused: true, detail: `${why}; not repaired: this platform cannot tell whether a process works in it (check, then pass --force)` };
  }
  if (!force && workers !== undefined && workers.length > 0) {
    return { fixed: false, refused: true, detail: `${why}; not repaired: process(es) ${workers.join(", ")} work in it (let them finish, or pass --force)` };
  }
  try {
    writeRecord(ctx, { version: 1, sidetick: n, lease: null, releasedAt: ctx.now().toISOString() });
  } catch (error) {
    // A directory in the record's place cannot be renamed over: say so, and leave it (and the sidetick held).
    return { fixed: false, refused: false, detail: `${why}; cannot rewrite it (${(error as Error).message}): move ${ctx.layout.recordFile(n)} away by hand, then run pool doctor --fix again` };
  }
  return { fixed: true, refused: false, detail: `${why}; rewritten as free${force ? " (--force)" : " (no process works in it)"}` };
}

