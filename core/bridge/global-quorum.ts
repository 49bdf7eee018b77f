// The one quorum across machines: every machine's quorum members (`<host>.<surface>`, from the surfaces bucket), an
// episode key every machine derives alike, the episode's memory in KV (not in one bus's publisher state), and one
// publication by the lease holder, de-duplicated again by the stream.
import { createHash } from "node:crypto";
import { z } from "zod";
import { type QuorumConfig, type QuorumMember, type QuorumRecord, QuorumTracker } from "../detect/quorum";
import { type CrossEscalation, publishEscalation } from "./escalation-stream";
import type { KV, NatsConnection } from "./nats-link";

/** The bucket of the quorum's memory (key {@link EPISODE_KEY}) and the lease (key {@link LEASE_KEY}). */
export const EPISODES_BUCKET = "otto-tray-episodes";
export const EPISODE_KEY = "quorum";
export const LEASE_KEY = "quorum-publisher";
/** Idle runs remembered as told while cut off: far more than the surfaces of every machine on a hub. */
export const MAX_TOLD_RUNS = 1024;

/**
 * The episode's key from its members and when its last member went idle: the same on every machine, which reads the
 * same records. Unknown idle times count as unknown alike ("?").
 */
export function episodeKey(members: readonly QuorumMember[]): string {
  const ids = members.map((m) => m.id).sort();
  const times = members.map((m) => m.idleSince).filter((t): t is number => t !== undefined);
  const last = times.length === members.length && times.length > 0 ? new Date(Math.max(...times)).toISOString() : "?";
  return `q-${createHash("sha256").update(`${ids.join(",")}|${last}`).digest("hex").slice(0, 32)}`;
}

const recordSchema = z.object({
  episode: z.object({ id: z.string(), since: z.number(), surfaces: z.array(z.string()), published: z.boolean(), lastSeenAt: z.number() }).nullable(),
  lastEndedAt: z.number().nullable(),
});

export interface GlobalQuorumDeps {
  config: QuorumConfig;
  host: string;
  connection: NatsConnection;
  /** The hub's JetStream domain behind a leaf node (undefined: connected to the hub). */
  hubDomain?: string | undefined;
  episodes: KV;
  log: (line: string) => void;
}

/** The lease holder's side of the quorum across machines; the others keep nothing (they resume from KV when they hold it). */
export class GlobalQuorum {
  private tracker: QuorumTracker | undefined;
  private nextKey = "";
  private memoryRevision = 0;
  private saved = "";
  private savedAt = 0;

  /**
   * Idle runs already told by a machine on its own while cut off (`host.surface` → when that quorum formed): a quorum
   * across machines made only of such runs is not told again. Bounded: the oldest go first.
   */
  private readonly told = new Map<string, number>();

  constructor(private readonly deps: GlobalQuorumDeps) {}

  /** A quorum a machine told on its own (scope local), seen in the stream: its members' idle runs are told. */
  noteTold(escalation: CrossEscalation): void {
    for (const id of escalation.surfaces) this.noteRun(id, Date.parse(escalation.since));
  }

  /** `id`'s idle run was told in a quorum that formed at `since` (from the stream, or its machine's record). */
  noteRun(id: string, since: number): void {
    if (!Number.isFinite(since)) return;
    const known = this.told.get(id) ?? -Infinity;
    this.told.delete(id);
    this.told.set(id, Math.max(since, known));
    while (this.told.size > MAX_TOLD_RUNS) this.told.delete(this.told.keys().next().value as string);
  }

  /** Every member's current idle run was told already (it began no later than a local quorum that named it). */
  private allTold(members: readonly QuorumMember[]): boolean {
    return members.length > 0 && members.every((m) => m.idleSince !== undefined && (this.told.get(m.id) ?? -Infinity) >= m.idleSince);
  }

  /** The running episode as the holder sees it (for the snapshot), if it holds the lease. */
  get current() {
    return this.tracker?.current;
  }

  /** One step at `now` with every machine's members; only a holder publishes. Errors are thrown to the caller (retried). */
  async step(now: number, members: readonly QuorumMember[], holder: boolean): Promise<CrossEscalation | undefined> {
    if (!holder) {
      // Not the holder (any more): whoever holds it resumes from KV; this one starts over when it holds it again.
      this.tracker = undefined;
      return undefined;
    }
    if (this.tracker === undefined) {
      const record = await this.loadMemory();
      this.tracker = new QuorumTracker(this.deps.config, () => this.nextKey);
      this.tracker.resume(record, members);
      const taken = this.tracker.current;
      if (taken !== undefined) this.deps.log(`took over quorum ${taken.id} (${taken.published ? "already told: not told again" : "not told yet"})`);
    }
    this.nextKey = episodeKey(members);
    const update = this.tracker.update(now, members);
    let published: CrossEscalation | undefined;
    if (update.publish !== undefined && this.allTold(members)) {
      // A machine told exactly these idle runs itself while it was cut off (it reached every bus since): not again.
      this.tracker.markPublished(update.publish.episodeId);
      this.deps.log(`quorum ${update.publish.episodeId} (${update.publish.surfaces.join(", ")}) was told while cut off: not told again`);
    } else if (update.publish !== undefined) {
      const escalation: CrossEscalation = { topic: "standing-by-quorum", ...update.publish, publishedBy: this.deps.host, scope: "machines" };
      const { duplicate } = await publishEscalation(this.deps.connection, escalation, this.deps.hubDomain);
      this.tracker.markPublished(escalation.episodeId);
      if (duplicate) this.deps.log(`quorum ${escalation.episodeId} was already in the stream: not published again`);
      else published = escalation;
    }
    await this.saveMemory(now);
    return published;
  }

  private async loadMemory(): Promise<QuorumRecord> {
    const entry = await this.deps.episodes.get(EPISODE_KEY);
    this.memoryRevision = entry?.revision ?? 0;
    if (entry === null || entry.operation !== "PUT") return { episode: null, lastEndedAt: null };
    let value: unknown;
    try {
      value = entry.json();
    } catch {
      value = undefined;
    }
    const parsed = recordSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    // Unreadable memory: start afresh; the stream's duplicate window still stops a repeat of a recent episode.
    this.deps.log(`the quorum's memory in ${EPISODES_BUCKET} cannot be read; starting afresh`);
    return { episode: null, lastEndedAt: null };
  }

  /** Saved when it changed, and every few seconds (its last-seen time is what a successor resumes from). */
  private async saveMemory(now: number): Promise<void> {
    const record = this.tracker?.record();
    if (record === undefined) return;
    const text = JSON.stringify({ ...record, episode: record.episode && { ...record.episode, lastSeenAt: 0 } });
    if (text === this.saved && now - this.savedAt < 5000) return;
    const value = JSON.stringify(record);
    // At the revision it read or last wrote: a holder that lost the lease meanwhile cannot overwrite its successor.
    this.memoryRevision = this.memoryRevision === 0 ? await this.deps.episodes.create(EPISODE_KEY, value) : await this.deps.episodes.update(EPISODE_KEY, value, this.memoryRevision);
    this.saved = text;
    this.savedAt = now;
  }
}
