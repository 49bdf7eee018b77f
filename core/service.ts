// The running detector: bus reader + watcher + detection engine + a clock tick, as one object with events.
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { Envelope } from "./bus/envelope";
import { BusReader } from "./bus/reader";
import { BusWatcher } from "./bus/watcher";
import { type EnvelopeDraft, publish } from "./bus/writer";
import { describeError } from "./errors";
import { DetectionEngine, type EngineResult, type StateChange } from "./detect/engine";
import type { Prefs } from "./prefs/schema";
import type { Snapshot } from "./snapshot";

/** Reads the bus once and evaluates it at `now` (publishing escalations when asked): `status` and `detect --once`. */
export function evaluateBusOnce(options: { busDir: string; prefs: Prefs; now: number; publishEscalations: boolean }): EngineResult {
  const { busDir, prefs, now } = options;
  const reader = new BusReader(busDir, { now: () => now });
  reader.scan();
  const engine = new DetectionEngine({
    reader,
    prefs,
    ...(options.publishEscalations ? { publish: (draft: EnvelopeDraft) => publish(busDir, draft) } : {}),
  });
  return engine.evaluate(now);
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
}

export interface DetectorEvents {
  change: [StateChange];
  published: [Envelope];
  snapshot: [Snapshot];
  problem: [string];
}

export class DetectorService extends EventEmitter<DetectorEvents> {
  readonly reader: BusReader;
  readonly engine: DetectionEngine;
  private readonly watcher: BusWatcher;
  private tickTimer: NodeJS.Timeout | undefined;
  private last: Snapshot | undefined;
  private lastProblem: string | null = null;

  constructor(private readonly options: DetectorServiceOptions) {
    super();
    const busDir = options.busDir;
    this.reader = new BusReader(busDir, { retryMalformedMs: options.retryMalformedMs ?? 2000 });
    this.engine = new DetectionEngine({
      reader: this.reader,
      prefs: options.prefs,
      ...(options.publishEscalations === false ? {} : { publish: (draft) => publish(busDir, draft) }),
    });
    this.watcher = new BusWatcher({
      reader: this.reader,
      onChange: () => this.evaluate(),
      onProblem: (message) => this.emit("problem", message),
    });
  }

  async start(): Promise<void> {
    await this.watcher.start();
    this.engine.wake.observe(Date.now(), performance.now());
    this.evaluate();
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.watcher.close();
  }

  snapshot(): Snapshot {
    return this.last ?? this.evaluate();
  }

  private tick(): void {
    this.engine.wake.observe(Date.now(), performance.now());
    this.reader.settlePending();
    this.evaluate();
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
      this.emit("snapshot", result.snapshot);
      return result.snapshot;
    } catch (error) {
      this.emit("problem", `evaluation failed: ${describeError(error)}`);
      if (this.last) return this.last;
      throw error;
    }
  }
}
