// Public API of the worktree pool: plain async functions taking an options object (the CLI is a thin layer over these).
import { allocate, type AllocateOptions, type Allocation, release } from "./allocate";

export { allocate, attachGroup, LEASE_HINT, release, renew } from "./allocate";
export type { AllocateOptions, Allocation, AttachGroupOptions, ReleaseOptions, ReleaseResult, RenewOptions } from "./allocate";
export { init, refresh } from "./maintain";
export type { InitOptions, InitResult, RefreshResult } from "./maintain";
export { status, sidetickState } from "./status";
export type { IdentityStatus, PoolStatus, SidetickState, SidetickStatus, StatusOptions } from "./status";
export { describeSweep } from "./overflow-sweep";
export type { OverflowSweep } from "./overflow-sweep";
export { prune } from "./prune";
export type { PruneOptions, PruneResult } from "./prune";
export { doctor } from "./doctor";
export { deleteRescued, listRescued } from "./rescued";
export type { RescuedBranch, RescuedOptions } from "./rescued";
export { inspect } from "./worktree-safety";
export type { WorktreeVerdict, UnsavedReason } from "./worktree-safety";
export type { DoctorOptions, DoctorResult, Problem } from "./doctor";
export type { PoolLocation, PoolOptions } from "./context";
export type { RescueReport } from "./rescue";
export { GitError, GitTimeoutError, LeaseNotFoundError, NoFreeSidetickError, RefusedError, RepoError } from "./errors";
export { MARKER_FILE } from "./marker";

/** Runs `fn` in a sidetick leased for exactly its duration (the holder is this process, so a crash frees it too). */
export async function withSidetick<T>(options: Omit<AllocateOptions, "holderPid">, fn: (allocation: Allocation) => Promise<T>): Promise<T> {
  const allocation = await allocate({ ...options, holderPid: process.pid });
  try {
    return await fn(allocation);
  } finally {
    await release({ ...options, leaseId: allocation.leaseId });
  }
}
