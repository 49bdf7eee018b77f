// Pool leases per identity read from the pool's own records: no git call ever runs in a sidetick an agent may be using.
import { existsSync, readdirSync } from "node:fs";
import type { LeaseView } from "../api";
import { describeError } from "../errors";
import { locate } from "../pool/context";
import { identityLayout, parseSidetickName, readIdentityConfig, sidetickName } from "../pool/layout";
import { type RecordRead, readRecord, recordLiveness } from "../pool/leases";
import { isGroupAlive } from "../pool/process-group";
import { listPoolIdentities } from "../pool/status";
import { isProcessAlive } from "../process-liveness";
import type { Prefs } from "../prefs/schema";

export interface PoolView {
  poolRoot: string | null;
  problem: string | null;
  identities: { identity: string; size: number; sideticks: LeaseView[] }[];
}

/** Finds the pool root once (one `git rev-parse` in the configured repository); null with a reason when there is none. */
export async function locatePoolRoot(prefs: Prefs): Promise<{ poolRoot: string | null; problem: string | null }> {
  if (prefs.repo === undefined) return { poolRoot: null, problem: "no repository in the preferences: set one to see the pool" };
  try {
    const { poolRoot } = await locate({ repo: prefs.repo, poolRoot: prefs.poolRoot, gitTimeoutSeconds: prefs.gitTimeoutSeconds });
    return { poolRoot, problem: null };
  } catch (error) {
    return { poolRoot: null, problem: describeError(error) };
  }
}

/** What the pool's files say, before the clock and the holders' processes are consulted (kept while no file changes). */
export interface PoolFiles {
  identities: { identity: string; size: number; sideticks: { n: number; path: string; exists: boolean; record: RecordRead }[] }[];
  /** Every file and directory read (present or not): a change to any of them means read again. */
  paths: string[];
}

/** Reads every identity's configuration and lease records (pure file reads, no git). */
export function readPoolFiles(poolRoot: string, prefs: Prefs): PoolFiles {
  const paths = [poolRoot];
  // Any directory in the pool root becomes an identity once its configuration appears: watch each one's.
  if (existsSync(poolRoot)) for (const name of readdirSync(poolRoot)) paths.push(identityLayout(poolRoot, name).configFile);
  const names = [...new Set([...listPoolIdentities(poolRoot), ...prefs.identities])].sort();
  const identities = names.map((identity) => {
    const layout = identityLayout(poolRoot, identity);
    paths.push(layout.dir, layout.metaDir, layout.configFile);
    const size = readIdentityConfig(layout)?.size ?? prefs.poolSize;
    const numbers = new Set(Array.from({ length: size }, (_, i) => i + 1));
    if (existsSync(layout.dir)) for (const name of readdirSync(layout.dir)) {
      const n = parseSidetickName(name);
      if (n !== undefined) numbers.add(n);
    }
    const sideticks = [...numbers].sort((a, b) => a - b).map((n) => {
      const path = layout.sidetickPath(n);
      paths.push(layout.recordFile(n));
      return { n, path, exists: existsSync(path), record: readRecord(layout.recordFile(n), n) };
    });
    return { identity, size, sideticks };
  });
  return { identities, paths };
}

/** Leases per identity at `now`: a lease holds while its holder lives and its time has not run out (checked every call). */
export function judgePoolFiles(files: PoolFiles, poolRoot: string, problem: string | null, now = new Date()): PoolView {
  const identities = files.identities.map(({ identity, size, sideticks }) => ({
    identity,
    size,
    sideticks: sideticks.map(({ n, path, exists, record }): LeaseView => {
      // A dead holder's command still running (its process group) keeps the lease, as in `pool status`; who works in
      // the sidetick is not listed here (lsof on every refresh would be slow), so only the CLI sees that.
      const liveness = recordLiveness(record, now, { isAlive: isProcessAlive, isGroupAlive: (group) => isGroupAlive(group) });
      const lease = record.lease;
      const base = { sidetick: sidetickName(n), path, holderPid: lease?.holder?.pid ?? null, since: lease?.since ?? null, branch: lease?.branch ?? null };
      if (liveness === "unreadable") return { ...base, state: "unreadable", note: `${record.unreadable ?? "record unreadable"}: counted as held (otto-tray pool doctor --fix)` };
      if (!exists) return { ...base, state: "missing", note: "not created yet (otto-tray pool init)" };
      if (liveness === "active") return { ...base, state: "leased", note: null };
      if (liveness === "orphaned") return { ...base, state: "leased", note: `its holder died; its command's process group ${lease?.group?.pid ?? "?"} still runs` };
      return { ...base, holderPid: null, since: null, branch: null, state: "free", note: null };
    }),
  }));
  return { poolRoot, problem, identities };
}

/** Reads every identity's lease records (pure file reads); an unreadable record counts as held and says so. */
export function readPoolView(poolRoot: string | null, problem: string | null, prefs: Prefs, now = new Date()): PoolView {
  if (poolRoot === null) return { poolRoot, problem, identities: [] };
  return judgePoolFiles(readPoolFiles(poolRoot, prefs), poolRoot, problem, now);
}
