// Pool status as data for the CLI and the app: per identity, per sidetick state, holder, branch, head and commits behind base.
import { existsSync, readdirSync } from "node:fs";
import { runGit } from "./git";
import { identityLayout, parseIdentity, parseSidetickName, readIdentityConfig } from "./layout";
import { locate, type PoolLocation } from "./context";
import { pathPresent, sidetickForeignReason } from "./foreign";
import { holdsSidetick, type Lease, type LeaseLiveness, lingering, readRecord, recordLiveness, UNREADABLE_REPAIR } from "./leases";
import { resolveBase } from "./repo";
import { looksIntact, readWorktreeHead } from "./sidetick";
import { systemChecks } from "./system-checks";
import { describeVerdict, inspect } from "./worktree-safety";

/**
 * A sidetick's state as shown to people and agents. "unreadable": its lease record cannot be read, so it counts as
 * held (see `note`; `pool doctor --fix` repairs it). "foreign": not the pool's to touch (a symlink, a `.git` leading
 * to another repository or a repository of its own, or a marker naming another repository; `note` says which), left alone.
 */
export type SidetickState = "free" | "leased" | "dirty" | "missing" | "broken" | "unreadable" | "foreign";

/** The facts the state is computed from. */
export interface SidetickFacts {
  exists: boolean;
  intact: boolean;
  liveness: LeaseLiveness;
  /** Its marker names another repository. */
  foreign?: boolean | undefined;
  /** Unsaved work (changes or commits on no branch); undefined when not looked at (e.g. leased). */
  unsaved: boolean | undefined;
}

/** The state of a sidetick (pure): missing, another repository's and broken win, then an unreadable record, a live lease, unsaved work. */
export function sidetickState(facts: SidetickFacts): SidetickState {
  if (!facts.exists) return "missing";
  if (facts.foreign === true) return "foreign";
  if (!facts.intact) return facts.liveness === "unreadable" ? "unreadable" : "broken";
  if (facts.liveness === "unreadable") return "unreadable";
  if (facts.liveness === "active" || facts.liveness === "orphaned") return "leased";
  return facts.unsaved === true ? "dirty" : "free";
}

/** One sidetick in `pool status --json`. */
export interface SidetickStatus {
  path: string;
  state: SidetickState;
  leaseId: string | null;
  holderPid: number | null;
  /** Who the lease is for (`claude --worktree NAME`: the name and the session's id); null when unlabelled. */
  label: { name: string | null; sessionId: string | null } | null;
  /** The process group of the command `pool with` runs there (held while it lives, even after its holder died). */
  group: number | null;
  since: string | null;
  expiresAt: string | null;
  branch: string | null;
  head: string | null;
  /** Commits the sidetick's HEAD is behind the base ref (null when unknown). */
  behind: number | null;
  /** What unsaved work a free sidetick holds ("dirty"), in words; null when none or not looked at. */
  unsaved: string | null;
  /** What a person should know and do (an unreadable record, a foreign sidetick, a dead holder's command still running); null when nothing. */
  note: string | null;
}

/** One identity in `pool status --json`. */
export interface IdentityStatus {
  identity: string;
  size: number;
  sideticks: SidetickStatus[];
}

/** A pool under the root that another repository made (a shared --pool-root): listed, never touched. */
export interface OtherRepositoryPool {
  identity: string;
  dir: string;
  repo: string;
}

/** The `pool status --json` shape. */
export interface PoolStatus {
  repo: string;
  poolRoot: string;
  identities: IdentityStatus[];
  otherRepositories: OtherRepositoryPool[];
}

/** Options of {@link status}. */
export interface StatusOptions extends PoolLocation {
  /** Only this identity (default: every identity with a pool under the root, plus `identities`). */
  identity?: string | undefined;
  /** Identities to list even before they have a pool (the preferences' list). */
  identities?: readonly string[] | undefined;
  defaultSize?: number | undefined;
  defaultBase?: string | undefined;
}

/** Identities that have a pool under `poolRoot` (a directory with a stored config). */
export function listPoolIdentities(poolRoot: string): string[] {
  if (!existsSync(poolRoot)) return [];
  return readdirSync(poolRoot)
    .filter((name) => readIdentityConfig(identityLayout(poolRoot, name)) !== undefined)
    .sort();
}

/** Reads the status of the pools (leased sideticks are not touched; free ones get one `git status`). */
export async function status(options: StatusOptions): Promise<PoolStatus> {
  const { repo, poolRoot, now } = await locate(options);
  const names = options.identity !== undefined ? [parseIdentity(options.identity)] : [...new Set([...listPoolIdentities(poolRoot), ...(options.identities ?? [])])].sort();
  const identities: IdentityStatus[] = [];
  const otherRepositories: OtherRepositoryPool[] = [];
  const systemCheck = systemChecks();
  for (const identity of names) {
    const layout = identityLayout(poolRoot, identity);
    const config = readIdentityConfig(layout);
    if (config !== undefined && config.repo !== repo.root) {
      otherRepositories.push({ identity, dir: layout.dir, repo: config.repo });
      continue;
    }
    const size = config?.size ?? options.defaultSize ?? 3;
    const baseCommit = await resolveBase(repo, config?.base ?? options.defaultBase).then((b) => b.commit, () => undefined);
    const numbers = new Set<number>(Array.from({ length: size }, (_, i) => i + 1));
    for (const dir of [layout.dir, layout.metaDir]) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const n = parseSidetickName(name.replace(/\.json$/, ""));
        if (n !== undefined && pathPresent(layout.sidetickPath(n))) numbers.add(n);
      }
    }
    const sideticks: SidetickStatus[] = [];
    for (const n of [...numbers].sort((a, b) => a - b)) {
      const path = layout.sidetickPath(n);
      const record = readRecord(layout.recordFile(n), n);
      const lease = record.lease;
      const checks = systemCheck(path);
      const liveness = recordLiveness(record, now(), checks);
      // lstat: a dangling symlink is something in the sidetick's place (foreign), not a missing sidetick.
      const exists = pathPresent(path);
      const foreign = exists ? sidetickForeignReason(path, repo) : undefined;
      const intact = exists && foreign === undefined && looksIntact({ repo, poolRoot, layout, now }, n);
      let branch: string | undefined;
      let head: string | undefined;
      let unsaved: boolean | undefined;
      let why: string | null = null;
      if (intact && !holdsSidetick(liveness)) {
        // The same verdict allocate acts on; a state that cannot be read counts as unsaved work.
        const verdict = await inspect(path, { base: baseCommit });
        if (verdict.kind !== "unknown") {
          branch = verdict.branch;
          head = verdict.head;
        }
        unsaved = verdict.kind !== "clean";
        why = unsaved ? describeVerdict(verdict) : null;
      } else if (intact) {
        const h = readWorktreeHead(path);
        branch = h?.branch?.replace(/^refs\/heads\//, "");
        head = h?.head ?? (h?.branch !== undefined ? await revParse(path, "HEAD") : undefined);
      }
      const state = sidetickState({ exists, intact, liveness, unsaved, foreign: foreign !== undefined });
      const held: Lease | null = liveness === "active" || liveness === "orphaned" ? lease : null;
      const orphaned = liveness === "orphaned" && lease !== null ? `its holder (pid ${lease.holder?.pid ?? "?"}) died, but ${lingering(lease, checks, identity) ?? "something still works in it"}: held until then` : null;
      sideticks.push({
        path,
        state,
        leaseId: held?.leaseId ?? null,
        holderPid: held?.holder?.pid ?? null,
        label: held?.label ?? null,
        group: held?.group?.pid ?? null,
        since: held?.since ?? null,
        expiresAt: held?.expiresAt ?? null,
        branch: branch ?? null,
        head: head ?? null,
        behind: head !== undefined && baseCommit !== undefined ? await behindCount(path, head, baseCommit) : null,
        unsaved: why,
        note:
          foreign !== undefined
            ? foreign
            : record.unreadable !== undefined
              ? `${record.unreadable}; counted as held. ${UNREADABLE_REPAIR}`
              : orphaned,
      });
    }
    identities.push({ identity, size, sideticks });
  }
  return { repo: repo.root, poolRoot, identities, otherRepositories };
}

async function revParse(cwd: string, ref: string): Promise<string | undefined> {
  const r = await runGit(cwd, ["rev-parse", "--verify", "-q", ref], { okExitCodes: [0, 1, 128] });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

async function behindCount(cwd: string, head: string, base: string): Promise<number | null> {
  if (head === base) return 0;
  const r = await runGit(cwd, ["rev-list", "--count", `${head}..${base}`], { okExitCodes: [0, 128] });
  return r.exitCode === 0 ? Number(r.stdout.trim()) : null;
}
