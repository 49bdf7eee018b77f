// The detection engine: turns the bus index into a snapshot, state changes and escalations to publish.
import type { Envelope, NudgePayload, QuorumPayload } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import type { BusReader } from "../bus/reader";
import { type BusTrust, checkBusTrust } from "../bus/trust";
import type { EnvelopeDraft } from "../bus/writer";
import { OTTO_TRAY_SENDER } from "../ids";
import type { Prefs } from "../prefs/schema";
import { iso, type Snapshot, type SurfaceSnapshot } from "../snapshot";
import { latestActivity, surfaceProcessAlive } from "../surfaces/liveness";
import { evaluateSurface } from "../surfaces/state";
import { briefAckStreak, idleSince, type Streak } from "../surfaces/streak";
import { TranscriptCheck } from "../surfaces/transcript-check";
import { QUORUM_STATES, type SurfaceState } from "../surfaces/types";
import { NudgeTracker } from "./nudges";
import { type QuorumMember, QuorumTracker } from "./quorum";
import { WakeDetector } from "./wake";

export interface EngineOptions {
  reader: BusReader;
  prefs: Prefs;
  /** Writes an envelope; absent for read-only use (`status`). */
  publish?: (draft: EnvelopeDraft) => Envelope;
  isAlive?: (pid: number | undefined) => boolean | undefined;
  activity?: (files: readonly string[]) => number | undefined;
  trust?: (dir: string) => BusTrust;
  wake?: WakeDetector;
  newId?: () => string;
}

export interface StateChange {
  surface: string;
  from: SurfaceState | null;
  to: SurfaceState;
  at: string;
  reason: string;
}

export interface EngineResult {
  snapshot: Snapshot;
  changes: StateChange[];
  published: Envelope[];
}

const SILENT_STATES: ReadonlySet<SurfaceState> = new Set(["stale", "hung", "unknown", "offline"]);

export class DetectionEngine {
  private readonly reader: BusReader;
  private prefs: Prefs;
  private readonly quorum: QuorumTracker;
  private readonly nudges: NudgeTracker;
  readonly wake: WakeDetector;
  private readonly previous = new Map<string, SurfaceState>();
  private readonly transcripts = new TranscriptCheck();

  constructor(private readonly options: EngineOptions) {
    this.reader = options.reader;
    this.prefs = options.prefs;
    this.quorum = new QuorumTracker(options.prefs, options.newId);
    this.nudges = new NudgeTracker(options.prefs.briefAckEscalateAfter);
    this.wake = options.wake ?? new WakeDetector(options.prefs.wakeGraceSeconds * 1000);
  }

  /** Evaluates every surface at `now`; publishes escalations only when a publisher is set and the bus is trusted. */
  evaluate(now: number): EngineResult {
    const { prefs, reader } = this;
    const trust = (this.options.trust ?? checkBusTrust)(reader.dir);
    const inWakeGrace = this.wake.inGrace(now);
    const evaluated = prefs.surfaces.map((s) => this.evaluateOne(s.id, s.label, s.activityFiles, now, inWakeGrace));
    const surfaces = evaluated.map((e) => e.snapshot);

    const changes: StateChange[] = [];
    for (const s of surfaces) {
      const before = this.previous.get(s.id);
      if (before !== s.state) changes.push({ surface: s.id, from: before ?? null, to: s.state, at: new Date(now).toISOString(), reason: s.reason });
      this.previous.set(s.id, s.state);
    }

    const windowMs = prefs.quorumWindowSeconds * 1000;
    const members: QuorumMember[] = surfaces
      .filter((s) => QUORUM_STATES.has(s.state) && s.lastHeartbeatAt !== null && now - Date.parse(s.lastHeartbeatAt) <= windowMs)
      .map((s) => ({ id: s.id, idleSince: s.idleSince === null ? undefined : Date.parse(s.idleSince) }));
    this.recallOwnEscalations(now, members);

    const published: Envelope[] = [];
    const canPublish = this.options.publish !== undefined && trust.trusted;
    const quorumUpdate = this.quorum.update(now, members);
    if (quorumUpdate.publish && canPublish) {
      published.push(this.send("standing-by-quorum", quorumUpdate.publish, "*"));
    }
    const nudges = this.nudges.update(
      now,
      evaluated.map((e) => ({ id: e.snapshot.id, streak: e.streak, idleSince: e.idleSince })),
    );
    if (canPublish) for (const n of nudges) published.push(this.send("infinite-backlog-nudge", n.payload, n.to));

    const episode = this.quorum.current;
    const snapshot: Snapshot = {
      generatedAt: new Date(now).toISOString(),
      busDir: reader.dir,
      busTrusted: trust.trusted,
      busProblem: trust.reason ?? null,
      surfaces,
      quorum: {
        active: episode !== undefined,
        surfaces: episode?.surfaces ?? [],
        since: episode === undefined ? null : new Date(episode.since).toISOString(),
        episodeId: episode?.id ?? null,
      },
      bus: reader.counts(),
      wakeGraceUntil: iso(this.wake.graceEndsAt(now)),
      allSilent: surfaces.length > 0 && surfaces.every((s) => SILENT_STATES.has(s.state)),
    };
    return { snapshot, changes, published };
  }

  private evaluateOne(
    id: string,
    label: string | undefined,
    activityFiles: readonly string[],
    now: number,
    inWakeGrace: boolean,
  ): { snapshot: SurfaceSnapshot; streak: Streak; idleSince: number | undefined } {
    const history = this.reader.heartbeats.history(id);
    const latest = history[history.length - 1];
    const pid = pidOf(history);
    const alive = (this.options.isAlive ?? surfaceProcessAlive)(pid);
    const activityAt = activityFiles.length > 0 ? (this.options.activity ?? latestActivity)(activityFiles) : undefined;
    const streak = briefAckStreak(history);
    const evaluation = this.transcripts.apply(
      evaluateSurface({
        latest,
        activityAt,
        briefAckStreak: streak.count,
        alive,
        now,
        inWakeGrace,
        thresholds: this.prefs,
      }),
      history,
      now,
      this.prefs.staleAfterSeconds,
    );
    const idleRunStart = idleSince(history);
    const since = evaluation.state === "idle" || evaluation.state === "standing-by" ? idleRunStart : undefined;
    const snapshot: SurfaceSnapshot = {
      id,
      ...(label === undefined ? {} : { label }),
      state: evaluation.state,
      reason: evaluation.reason,
      lastHeartbeatAt: iso(evaluation.lastBeatAt),
      lastStatus: latest?.status ?? null,
      waiting: latest?.waiting ?? null,
      briefAckStreak: streak.count,
      note: latest?.note ?? null,
      pid: pid ?? null,
      alive: alive ?? null,
      idleSince: iso(since ?? (evaluation.state === "idle" ? evaluation.lastBeatAt : undefined)),
    };
    return { snapshot, streak, idleSince: idleRunStart };
  }

  /** The bus is the detectors' memory: what was already published (by us, before a restart) is not published again. */
  private recallOwnEscalations(now: number, members: readonly QuorumMember[]): void {
    for (const e of this.reader.ownEnvelopes("infinite-backlog-nudge")) {
      const streakId = (e.payload as Partial<NudgePayload> | null)?.streakId;
      if (typeof streakId === "string") this.nudges.remember(streakId);
    }
    const quorums = this.reader.ownEnvelopes("standing-by-quorum");
    const last = quorums[quorums.length - 1];
    if (last !== undefined && Date.parse(last.expiresAt) > now) this.quorum.adopt(last.payload as QuorumPayload, members);
  }

  private send(topic: string, payload: unknown, to: string): Envelope {
    // Safe: callers check that a publisher exists.
    return (this.options.publish as (d: EnvelopeDraft) => Envelope)({ topic, payload, from: OTTO_TRAY_SENDER, to });
  }
}

/** The pid of the newest heartbeat that carries one within the current session. */
function pidOf(history: readonly HeartbeatRecord[]): number | undefined {
  const latest = history[history.length - 1];
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i] as HeartbeatRecord;
    if (latest?.sessionId !== undefined && r.sessionId !== undefined && r.sessionId !== latest.sessionId) return undefined;
    if (r.pid !== undefined) return r.pid;
    if (r.event === "SessionStart") return undefined;
  }
  return undefined;
}
