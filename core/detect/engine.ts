// The detection engine: turns the bus index into a snapshot, state changes and escalations to publish.
import type { Envelope } from "../bus/envelope";
import type { HeartbeatRecord } from "../bus/heartbeat-index";
import type { BusReader } from "../bus/reader";
import { type BusTrust, checkBusTrust } from "../bus/trust";
import type { EnvelopeDraft } from "../bus/writer";
import { OTTO_TRAY_SENDER } from "../ids";
import type { Agent, Prefs } from "../prefs/schema";
import type { SessionRow } from "../sessions/session-rows";
import { combineSurfaceState, surfaceFromSessions } from "../sessions/surface-sessions";
import { iso, type Snapshot, type SurfaceSnapshot } from "../snapshot";
import { latestActivity, surfaceProcessAlive } from "../surfaces/liveness";
import { evaluateSurface } from "../surfaces/state";
import { rememberStreak, type Streak, type StreakMemory } from "../surfaces/streak";
import { TranscriptCheck } from "../surfaces/transcript-check";
import type { SurfaceState } from "../surfaces/types";
import { HistoryFactsCache } from "./history-facts";
import { NudgeTracker } from "./nudges";
import { type QuorumMember, QuorumTracker } from "./quorum";
import { isQuorumMember } from "./quorum-membership";
import { mergeStreaks, PublisherMemory, recallEscalations } from "./publisher-memory";
import type { PublisherStateFile } from "./publisher-state";
import { WakeDetector } from "./wake";

export interface EngineOptions {
  reader: BusReader;
  prefs: Prefs;
  /** Writes an envelope; absent for read-only use (`status`, or while another detector publishes). */
  publish?: (draft: EnvelopeDraft) => Envelope;
  /** Where publishers keep what they published (beside the publisher lock); read by every detector. */
  stateFile?: PublisherStateFile;
  isAlive?: (pid: number | undefined) => boolean | undefined;
  activity?: (files: readonly string[]) => number | undefined;
  trust?: (dir: string) => BusTrust;
  wake?: WakeDetector;
  newId?: () => string;
  /** Claude Code's sessions (its own registry): a surface with sessions follows them (see surfaceFromSessions). */
  sessions?: () => readonly SessionRow[];
  /**
   * Who publishes quorums of this bus's surfaces (read at each evaluation): "bus" (no bridge; as always), "local"
   * (a bridge that is cut off: this machine's quorums, marked local), "machines" (a connected bridge publishes one
   * quorum across machines, so this engine publishes none).
   */
  quorumScope?: () => QuorumScope;
}

export type QuorumScope = "bus" | "local" | "machines";

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
  /** Escalations that could not be written, a state file that could not be read or saved. */
  problems: string[];
}

const SILENT_STATES: ReadonlySet<SurfaceState> = new Set(["stale", "hung", "unknown", "offline"]);

/**
 * The most streaks remembered (and saved). Streaks of surfaces this engine does not watch come from the state file
 * (detectors with other preferences share it); kept without a bound they would grow it past what it may hold.
 */
export const MAX_REMEMBERED_STREAKS = 256;

/** Forgets the oldest streaks of surfaces not in `watched` until at most {@link MAX_REMEMBERED_STREAKS} are left. */
function forgetOtherStreaks(streaks: Map<string, StreakMemory>, watched: ReadonlySet<string>): void {
  for (const surface of [...streaks.keys()]) {
    if (streaks.size <= MAX_REMEMBERED_STREAKS) return;
    if (!watched.has(surface)) streaks.delete(surface);
  }
}

export class DetectionEngine {
  private readonly reader: BusReader;
  private prefs: Prefs;
  private readonly quorum: QuorumTracker;
  private readonly nudges: NudgeTracker;
  readonly wake: WakeDetector;
  private readonly previous = new Map<string, SurfaceState>();
  /** Each surface's streak at its newest beat, so it keeps its id (or stays ended) when beats leave the history. */
  private readonly streaks = new Map<string, StreakMemory>();
  private readonly memory: PublisherMemory;
  private publishFn: ((draft: EnvelopeDraft) => Envelope) | undefined;
  private loaded = false;
  /** Set when this engine becomes the publisher: take up what earlier publishers did, once. */
  private recallPending: boolean;
  private readonly transcripts = new TranscriptCheck();
  private readonly facts: HistoryFactsCache;

  constructor(private readonly options: EngineOptions) {
    this.reader = options.reader;
    this.facts = new HistoryFactsCache(options.reader.heartbeats);
    this.prefs = options.prefs;
    this.quorum = new QuorumTracker(options.prefs, options.newId);
    this.nudges = new NudgeTracker(options.prefs.briefAckEscalateAfter);
    this.wake = options.wake ?? new WakeDetector(options.prefs.wakeGraceSeconds * 1000);
    this.memory = new PublisherMemory(options.stateFile);
    this.publishFn = options.publish;
    this.recallPending = options.publish !== undefined;
  }

  /** Makes this engine the bus's publisher (it holds the publisher lock); past escalations are recalled first. */
  becomePublisher(publish: (draft: EnvelopeDraft) => Envelope): void {
    this.publishFn = publish;
    this.recallPending = true;
  }

  /** Stops publishing (another detector holds the lock). */
  becomeReadOnly(): void {
    this.publishFn = undefined;
    this.recallPending = false;
  }

  get isPublisher(): boolean {
    return this.publishFn !== undefined;
  }

  /** Evaluates every surface at `now`; publishes escalations only when a publisher is set and the bus is trusted. */
  evaluate(now: number): EngineResult {
    const { prefs, reader } = this;
    const trust = (this.options.trust ?? checkBusTrust)(reader.dir);
    const inWakeGrace = this.wake.inGrace(now);
    const problems: string[] = [];
    const recalled = this.recallPending ? this.memory.load() : this.loaded ? undefined : this.memory.load();
    if (recalled !== undefined) {
      this.loaded = true;
      if (!recalled.ok) problems.push(recalled.problem);
      mergeStreaks(this.streaks, recalled.state.streaks);
      forgetOtherStreaks(this.streaks, new Set(prefs.surfaces.map((s) => s.id)));
    }
    let sessions: readonly SessionRow[] = [];
    try {
      sessions = this.options.sessions?.() ?? [];
    } catch (error) {
      problems.push(`Claude Code's session registry could not be read: ${(error as Error).message}`);
    }
    const evaluated = prefs.surfaces.map((s) => this.evaluateOne(s.id, s.label, s.activityFiles, now, inWakeGrace, sessions, s.agent));
    const surfaces = evaluated.map((e, i) => ({ ...e.snapshot, agent: prefs.surfaces[i]?.agent ?? "claude-code" }));

    const changes: StateChange[] = [];
    for (const s of surfaces) {
      const before = this.previous.get(s.id);
      if (before !== s.state) changes.push({ surface: s.id, from: before ?? null, to: s.state, at: new Date(now).toISOString(), reason: s.reason });
      this.previous.set(s.id, s.state);
    }

    // A surface whose sessions decide its state counts while it is idle by them (its sessions live, by definition);
    // the others by their heartbeats, as before. Other sessions belong to no surface and never count.
    const members: QuorumMember[] = evaluated
      .filter((e) =>
        e.sessionsIdleSince !== null
          ? e.snapshot.state === "idle" || e.snapshot.state === "standing-by"
          : isQuorumMember({ state: e.snapshot.state, latest: e.latest, alive: e.alive, now, quorumWindowSeconds: prefs.quorumWindowSeconds }),
      )
      .map((e) => ({ id: e.snapshot.id, idleSince: e.sessionsIdleSince ?? e.idleSince }));
    const canPublish = this.publishFn !== undefined && trust.trusted;
    if (canPublish && this.recallPending && recalled !== undefined) {
      this.recallPending = false;
      const own = { ownNudges: reader.ownEnvelopes("infinite-backlog-nudge"), ownQuorums: reader.ownEnvelopes("standing-by-quorum") };
      recallEscalations({ state: recalled.state, nudges: this.nudges, quorum: this.quorum, members, ...own, now });
    }

    // Each escalation is marked sent only after its write succeeded, so a failed write is tried again.
    const published: Envelope[] = [];
    const quorumUpdate = this.quorum.update(now, members);
    const scope = this.options.quorumScope?.() ?? "bus";
    if (quorumUpdate.publish && canPublish && scope !== "machines") {
      const payload = scope === "local" ? { ...quorumUpdate.publish, scope: "local" as const } : quorumUpdate.publish;
      const sent = this.send("standing-by-quorum", payload, "*", problems);
      if (sent !== undefined) {
        this.quorum.markPublished(quorumUpdate.publish.episodeId);
        published.push(sent);
      }
    }
    const nudges = this.nudges.update(
      now,
      evaluated.map((e) => ({ id: e.snapshot.id, streak: e.streak, idleSince: e.idleSince })),
    );
    if (canPublish) {
      for (const n of nudges) {
        const sent = this.send("infinite-backlog-nudge", n.payload, n.to, problems);
        if (sent === undefined) continue;
        this.nudges.remember(n.payload.streakId);
        published.push(sent);
      }
      const saveProblem = this.memory.save(
        { version: 1, nudged: this.nudges.remembered(), streaks: Object.fromEntries(this.streaks), quorum: this.quorum.record() },
        now,
      );
      if (saveProblem !== undefined) problems.push(saveProblem);
    }

    const episode = this.quorum.current;
    const snapshot: Snapshot = {
      generatedAt: new Date(now).toISOString(),
      busDir: reader.dir,
      busTrusted: trust.trusted,
      busProblem: trust.reason ?? null,
      busMissing: trust.missing === true,
      surfaces,
      quorum: {
        active: episode !== undefined,
        surfaces: episode?.surfaces ?? [],
        since: episode === undefined ? null : new Date(episode.since).toISOString(),
        episodeId: episode?.id ?? null,
        members: members.map((m) => ({ id: m.id, idleSince: iso(m.idleSince) })),
      },
      bus: reader.counts(),
      wakeGraceUntil: iso(this.wake.graceEndsAt(now)),
      allSilent: surfaces.length > 0 && surfaces.every((s) => SILENT_STATES.has(s.state)),
      sessions: [...sessions],
    };
    return { snapshot, changes, published, problems };
  }

  private evaluateOne(
    id: string,
    label: string | undefined,
    activityFiles: readonly string[],
    now: number,
    inWakeGrace: boolean,
    sessions: readonly SessionRow[],
    agent: Agent,
  ): {
    snapshot: SurfaceSnapshot;
    streak: Streak;
    idleSince: number | undefined;
    latest: HeartbeatRecord | undefined;
    alive: boolean | undefined;
    /** Null when heartbeats decide the state; else when its sessions became idle (undefined: not known). */
    sessionsIdleSince: number | undefined | null;
  } {
    const history = this.reader.heartbeats.history(id);
    const latest = history[history.length - 1];
    const facts = this.facts.facts(id, this.streaks.get(id));
    const pid = facts.pid;
    const alive = (this.options.isAlive ?? surfaceProcessAlive)(pid);
    const activityAt = activityFiles.length > 0 ? (this.options.activity ?? latestActivity)(activityFiles) : undefined;
    const streak = facts.streak;
    // With no beat left to read (all its files deleted by another tool) the streak is not known to have ended:
    // the memory stays as it was. While no streak runs, the memory of where the last one ended stays too: it
    // already stands for every beat up to there, and moving it at every beat would save the state file as often.
    const remembered = rememberStreak(streak, history);
    const kept = this.streaks.get(id);
    const stillNone = remembered?.startId === undefined && kept !== undefined && kept.startId === undefined;
    if (remembered !== undefined && !stillNone) this.streaks.set(id, remembered);
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
      agent,
    );
    const idleRunStart = facts.idleSince;
    // Claude Code's own registry, where the surface has sessions there: its word wins for idle, working and waiting.
    const bySessions = surfaceFromSessions(id, sessions);
    const combined = combineSurfaceState(evaluation.state, bySessions, alive);
    const fromSessions = bySessions !== undefined && combined !== undefined && combined === bySessions.state;
    // After a wake from sleep every transcript is old at once: a session is not called hung yet, as with heartbeats.
    const state = fromSessions && combined === "hung" && inWakeGrace ? "working" : (combined ?? evaluation.state);
    const busWaiting = latest?.waiting === undefined || latest.waiting === "" ? undefined : latest.waiting;
    // A waiting beat reads idle only when the transcript shows its dialog answered (rejected): nothing waits any more.
    const byBeats = state === "idle" ? null : (latest?.waiting ?? null);
    const waiting = combined === undefined ? byBeats : state === "waiting" ? (busWaiting ?? bySessions?.waiting ?? null) : null;
    const since = fromSessions ? (state === "idle" ? bySessions.since : undefined) : state === "idle" || state === "standing-by" ? idleRunStart : undefined;
    const snapshot: SurfaceSnapshot = {
      id,
      ...(label === undefined ? {} : { label }),
      state,
      reason: fromSessions ? bySessions.reason : evaluation.reason,
      lastHeartbeatAt: iso(evaluation.lastBeatAt),
      lastStatus: latest?.status ?? null,
      waiting,
      briefAckStreak: streak.count,
      note: latest?.note ?? null,
      pid: pid ?? null,
      alive: alive ?? null,
      idleSince: iso(since ?? (state === "idle" && !fromSessions ? evaluation.lastBeatAt : undefined)),
    };
    return { snapshot, streak, idleSince: idleRunStart, latest, alive, sessionsIdleSince: fromSessions ? bySessions.since : null };
  }

  /** Writes one escalation; a failure becomes a problem (and the escalation stays due). */
  private send(topic: string, payload: unknown, to: string, problems: string[]): Envelope | undefined {
    try {
      // Safe: callers check that a publisher exists.
      return (this.publishFn as (d: EnvelopeDraft) => Envelope)({ topic, payload, from: OTTO_TRAY_SENDER, to });
    } catch (error) {
      problems.push(`could not publish ${topic} to ${to} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); will try again`);
      return undefined;
    }
  }
}
