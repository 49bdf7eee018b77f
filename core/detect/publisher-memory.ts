// The publisher's memory across restarts and hand-overs: recall at start, save after each change.
import type { Envelope, NudgePayload, QuorumPayload } from "../bus/envelope";
import type { StreakMemory } from "../surfaces/streak";
import type { NudgeTracker } from "./nudges";
import type { QuorumMember, QuorumRecord, QuorumTracker } from "./quorum";
import { EMPTY_PUBLISHER_STATE, type LoadedState, type PublisherState, type PublisherStateFile } from "./publisher-state";

/** The running episode's `lastSeenAt` is saved at most this often when nothing else changed. */
const SEEN_SAVE_INTERVAL_MS = 30_000;

export interface RecallInput {
  state: PublisherState;
  nudges: NudgeTracker;
  quorum: QuorumTracker;
  members: readonly QuorumMember[];
  /** Envelopes Otto Tray published that are still on the bus: a second, older memory. */
  ownNudges: readonly Envelope[];
  ownQuorums: readonly Envelope[];
  now: number;
}

/**
 * Takes up what earlier publishers did. The state file is the memory (envelopes expire and other tools
 * clean them); envelopes still on the bus are read too, for a bus whose state file is missing or new.
 */
export function recallEscalations(input: RecallInput): void {
  const { state, nudges, quorum, members, now } = input;
  for (const e of input.ownNudges) {
    const streakId = (e.payload as Partial<NudgePayload> | null)?.streakId;
    if (typeof streakId === "string") nudges.remember(streakId);
  }
  for (const id of state.nudged) nudges.remember(id);
  let record: QuorumRecord = state.quorum;
  // A publisher killed between writing the envelope and saving the state: the envelope says it was sent.
  const episode = record.episode;
  if (episode !== null && !episode.published && input.ownQuorums.some((e) => (e.payload as Partial<QuorumPayload> | null)?.episodeId === episode.id)) {
    record = { ...record, episode: { ...episode, published: true } };
  }
  const last = input.ownQuorums[input.ownQuorums.length - 1];
  if (record.episode === null && last !== undefined && Date.parse(last.expiresAt) > now) {
    const p = last.payload as QuorumPayload;
    const at = Date.parse(last.timestamp);
    record = { ...record, episode: { id: p.episodeId, since: Date.parse(p.since), surfaces: p.surfaces, published: true, lastSeenAt: at } };
  }
  quorum.resume(record, members);
}

/** Saved streaks and in-memory ones: what this process saw itself wins. */
export function mergeStreaks(into: Map<string, StreakMemory>, saved: Readonly<Record<string, StreakMemory>>): void {
  for (const [surface, memory] of Object.entries(saved)) if (!into.has(surface)) into.set(surface, memory);
}

/** Reads and writes the state file, skipping writes that would change nothing but the time last seen. */
export class PublisherMemory {
  private lastWritten: string | undefined;
  private lastWrittenAt = -Infinity;

  constructor(private readonly file: PublisherStateFile | undefined) {}

  load(): LoadedState {
    return this.file?.load() ?? { ok: true, state: EMPTY_PUBLISHER_STATE };
  }

  /** Saves when something changed; returns a problem message when the write fails. */
  save(state: PublisherState, now: number): string | undefined {
    if (this.file === undefined) return undefined;
    const key = JSON.stringify({ ...state, quorum: { ...state.quorum, episode: state.quorum.episode && { ...state.quorum.episode, lastSeenAt: 0 } } });
    if (key === this.lastWritten && now - this.lastWrittenAt < SEEN_SAVE_INTERVAL_MS) return undefined;
    try {
      this.file.save(state);
    } catch (error) {
      return `cannot save what was published to ${this.file.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); a restart may repeat it`;
    }
    this.lastWritten = key;
    this.lastWrittenAt = now;
    return undefined;
  }
}
