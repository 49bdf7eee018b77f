// The library entry of the `otto-tray` package: the core for TypeScript/JavaScript callers that prefer a call to a process.
export type { Envelope, HeartbeatPayload, HeartbeatStatus, NudgePayload, QuorumPayload } from "./bus/envelope";
export { KNOWN_TOPICS, ttlForTopic } from "./bus/envelope";
export { buildEnvelope, publish, writeEnvelope, type EnvelopeDraft } from "./bus/writer";
export { BusReader, type BusCounts, type BusReaderOptions } from "./bus/reader";
export { checkBusTrust, type BusTrust } from "./bus/trust";
export { DEFAULT_BUS_DIR, resolveBusDir, resolveHomeDir } from "./bus/paths";
export { DetectionEngine, type EngineResult, type StateChange } from "./detect/engine";
export { DetectorService, type DetectorServiceOptions } from "./service";
export { evaluateSurface, type SurfaceInputs, type SurfaceEvaluation } from "./surfaces/state";
export { SURFACE_STATES, type SurfaceState } from "./surfaces/types";
export type { Snapshot, SurfaceSnapshot, QuorumSnapshot } from "./snapshot";
export { loadPrefs, parsePrefs } from "./prefs/load";
export { prefsSchema, type Prefs, type PrefsInput } from "./prefs/schema";
export { OttoError, UsageError, ExitCode } from "./errors";
export { isSurfaceId, SURFACE_ID_PATTERN } from "./ids";
// The worktree pool, as a library: allocate, release, renew, init, refresh, status, prune, doctor, withSidetick.
export * as pool from "./pool/index";
export {
  allocate,
  release,
  renew,
  init,
  refresh,
  status,
  prune,
  doctor,
  withSidetick,
  GitError,
  LeaseNotFoundError,
  NoFreeSidetickError,
  RepoError,
} from "./pool/index";
export type { AllocateOptions, Allocation, PoolStatus, SidetickStatus, RescueReport } from "./pool/index";
