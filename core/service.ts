// The running detector: bus reader + watcher + detection engine + a clock tick, as one object with events.
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { Envelope } from "./bus/envelope";
import { BusReader } from "./bus/reader";
import { BusWatcher } from "./bus/watcher";
import { checkBusTrust } from "./bus/trust";
import { type EnvelopeDraft, publish } from "./bus/writer";
import { describeError } from "./errors";
import { DetectionEngine, type EngineResult, type QuorumScope, type StateChange } from "./detect/engine";
import { AutoMode } from "./actuator/auto-mode";
import type { ActuatorPolicy } from "./actuator/policy/context";
import { PublisherLock } from "./detect/publisher-lock";
import { PublisherStateFile } from "./detect/publisher-state";
import type { Prefs } from "./prefs/schema";
import { SessionDirWatcher } from "./sessions/dir-watcher";
import type { SessionSource } from "./sessions/session-source";
import type { Snapshot } from "./snapshot";

/** Whether this detector publishes escalations, and why (printed by `detect`). */
export interface RoleChange {
  role: "publisher" | "read-only";
  message: string;
}

/** Why a detector that wanted to publish reads only. */
function readOnlyReason(busDir: string, lock: PublisherLock): string {
  const trust = checkBusTrust(busDir);
  if (!trust.trusted) return `read-only: ${trust.reason ?? "the bus is not trusted"}`;
  if (lock.failure !== undefined) return `read-only: no detector can publish through ${lock.path}: ${lock.failure}`;
  const holder = lock.holderPid();
  const who = holder === undefined ? `another detector holds ${lock.path}` : `detector ${holder} is the publisher on this bus`;
  return `read-only: ${who}`;
}

/**
 * Reads the bus once and evaluates it at `now`: `status` (read-only) and `detect --once` (publishes when it
 * gets the bus's publisher lock; envelopes are stamped `now`). The lock is released before returning.
 */
export function evaluateBusOnce(options: { busDir: string; prefs: Prefs; now: number; publishEscalations: boolean; sessions?: SessionSource["sessions"] }): EngineResult & { role?: RoleChange } {
  const { busDir, prefs, now } = options;
  const reader = new BusReader(busDir, { now: () => now, watchedSurfaces: prefs.surfaces.map((s) => s.id) });
  reader.scan();
  const stateFile = new PublisherStateFile(busDir);
  const sessions = options.sessions === undefined ? {} : { sessions: options.sessions };
  if (!options.publishEscalations) return new DetectionEngine({ reader, prefs, stateFile, ...sessions }).evaluate(now);
  const lock = new PublisherLock(busDir);
  try {
    const publisher = checkBusTrust(busDir).trusted && lock.tryAcquire();
    const engine = new DetectionEngine({
      reader,
      prefs,
      stateFile,
      ...sessions,
      ...(publisher ? { publish: (draft: EnvelopeDraft) => publish(busDir, draft, new Date(now)) } : {}),
    });
    const role: RoleChange = publisher
      ? { role: "publisher", message: `publisher on ${busDir}` }
      : { role: "read-only", message: `${readOnlyReason(busDir, lock)}; this run publishes nothing` };
    return { ...engine.evaluate(now), role };
  } finally {
    lock.release();
  }
}

export interface DetectorServiceOptions {
  busDir: string;
  prefs: Prefs;
  /** Publish escalations (off for a read-only view). */
  publishEscalations?: boolean;
  /** Time-based states (stale, hung) and wake detection advance on this tick. */
  tickMs?: number;
  /** How long an unparseable file may be a write in progress. */
  retryMalformedMs?: number;
  /** Otto Tray's state directory: with it, auto mode (when armed) runs in the publisher. */
  homeDir?: string;
  /** The actuator policy in force, read at each look of auto mode (default: the one `prefs` sets). */
  policy?: () => ActuatorPolicy;
  /**
   * Claude Code's sessions (see registrySessionSource: read on every evaluation, their directories watched);
   * absent for none (heartbeats alone). The caller names the environment, so nothing here reads process.env.
   */
  claudeSessions?: SessionSource;
  /** Who publishes quorums (see DetectionEngine's quorumScope): a bridge in the same process says. */
  quorumScope?: () => QuorumScope;
}

export interface DetectorEvents {
  change: [StateChange];
  published: [Envelope];
  snapshot: [Snapshot];
  problem: [string];
  role: [RoleChange];
}

export class DetectorService extends EventEmitter<DetectorEvents> {
  readonly reader: BusReader;
  readonly engine: DetectionEngine;
  private readonly watcher: BusWatcher;
  private tickTimer: NodeJS.Timeout | undefined;
  private last: Snapshot | undefined;
  private lastProblem: string | null = null;
  /** Absent for a read-only service; otherwise the first detector to lock it publishes. */
  private readonly lock: PublisherLock | undefined;
  private role: RoleChange | undefined;
  private lastProblems = new Set<string>();
  private readonly auto: AutoMode | undefined;
  private readonly sessionDirs: SessionDirWatcher | undefined;

  constructor(private readonly options: DetectorServiceOptions) {
    super();
    const busDir = options.busDir;
    this.reader = new BusReader(busDir, {
      retryMalformedMs: options.retryMalformedMs ?? 2000,
      watchedSurfaces: options.prefs.surfaces.map((s) => s.id),
      // It runs for days over a bus of thousands of envelopes: keep what the detectors read, not every envelope.
      lean: true,
    });
    const sessions = options.claudeSessions;
    this.engine = new DetectionEngine({
      reader: this.reader,
      prefs: options.prefs,
      stateFile: new PublisherStateFile(busDir),
      ...(sessions ? { sessions: sessions.sessions } : {}),
      ...(options.quorumScope ? { quorumScope: options.quorumScope } : {}),
    });
    // A record rewritten (Claude Code turning `waiting`) is seen at once, not at the next tick.
    if (sessions !== undefined) this.sessionDirs = new SessionDirWatcher(sessions.dirs, () => this.evaluate());
    this.lock = options.publishEscalations === false ? undefined : new PublisherLock(busDir);
    if (options.homeDir !== undefined && this.lock !== undefined) this.auto = new AutoMode({ homeDir: options.homeDir, busDir, prefs: options.prefs, ...(options.policy ? { policy: options.policy } : {}) });
    this.watcher = new BusWatcher({
      reader: this.reader,
      onChange: () => this.evaluate(),
      onProblem: (message) => this.emit("problem", message),
    });
  }

  async start(): Promise<void> {
    await this.watcher.start();
    this.sessionDirs?.check();
    this.engine.wake.observe(Date.now(), performance.now());
    this.claimRole();
    this.evaluate();
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.sessionDirs?.close();
    await this.watcher.close();
    this.lock?.release();
  }

  /** Whether this service publishes now (it holds the bus's publisher lock). */
  get isPublisher(): boolean {
    return this.engine.isPublisher;
  }

  /**
   * Takes the publisher lock when it is free (at start, and on every tick while another detector holds it,
   * so a dead publisher is replaced within a tick), and steps down when the lock no longer guards the bus.
   */
  private claimRole(): void {
    const lock = this.lock;
    if (lock === undefined) return;
    if (lock.held) {
      if (lock.stillValid()) return;
      lock.release();
      this.engine.becomeReadOnly();
    }
    const busDir = this.options.busDir;
    if (checkBusTrust(busDir).trusted && lock.tryAcquire()) {
      this.engine.becomePublisher((draft) => publish(busDir, draft));
      this.setRole({ role: "publisher", message: `publisher on ${busDir}` });
      return;
    }
    this.setRole({ role: "read-only", message: `${readOnlyReason(busDir, lock)}; this one takes over when it stops` });
  }

  private setRole(role: RoleChange): void {
    if (this.role?.role === role.role && this.role.message === role.message) return;
    this.role = role;
    this.emit("role", role);
  }

  snapshot(): Snapshot {
    return this.last ?? this.evaluate();
  }

  private tick(): void {
    this.engine.wake.observe(Date.now(), performance.now());
    this.reader.settlePending();
    this.sessionDirs?.check();
    this.claimRole();
    const snapshot = this.evaluate();
    // Only the publisher acts, so the app, `serve` and `detect` on one bus never answer twice.
    if (this.isPublisher) void this.auto?.consider(snapshot, true);
  }

  /** Runs the engine; a failure is reported and the service keeps going (a bad file must not stop it). */
  evaluate(): Snapshot {
    try {
      const result = this.engine.evaluate(Date.now());
      this.last = result.snapshot;
      if (result.snapshot.busProblem !== this.lastProblem) {
        this.lastProblem = result.snapshot.busProblem;
        if (this.lastProblem !== null) this.emit("problem", `bus not trusted: ${this.lastProblem}`);
      }
      for (const change of result.changes) this.emit("change", change);
      for (const envelope of result.published) this.emit("published", envelope);
      // A failing write is retried every tick: say so once, not every second.
      for (const problem of result.problems) if (!this.lastProblems.has(problem)) this.emit("problem", problem);
      this.lastProblems = new Set(result.problems);
      this.emit("snapshot", result.snapshot);
      return result.snapshot;
    } catch (error) {
      this.emit("problem", `evaluation failed: ${describeError(error)}`);
      if (this.last) return this.last;
      throw error;
    }
  }
}
