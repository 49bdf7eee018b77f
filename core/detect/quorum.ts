// Standing-by quorum: one `standing-by-quorum` per episode of two or more idle surfaces, with a cooldown.
import { randomUUID } from "node:crypto";
import type { QuorumPayload } from "../bus/envelope";

export interface QuorumConfig {
  quorumSize: number;
  quorumWindowSeconds: number;
  quorumCooldownSeconds: number;
}

export interface QuorumMember {
  id: string;
  /** When this surface's current idle run began, ms. */
  idleSince: number | undefined;
}

export interface QuorumEpisode {
  id: string;
  since: number;
  surfaces: string[];
  published: boolean;
}

/** What a publisher remembers of quorums across restarts and hand-overs (saved in the publisher state). */
export interface QuorumRecord {
  /** The running episode, if any, and the last time it was seen running. */
  episode: (QuorumEpisode & { lastSeenAt: number }) | null;
  /** When the last episode ended: the cooldown runs from here. */
  lastEndedAt: number | null;
}

export interface QuorumUpdate {
  /** Set when an escalation is due now; call `markPublished` once it is written. */
  publish?: QuorumPayload;
  started?: QuorumEpisode;
  ended?: QuorumEpisode;
}

export class QuorumTracker {
  private episode: QuorumEpisode | undefined;
  private lastEndedAt: number | undefined;
  private lastSeenAt: number | undefined;

  constructor(
    private readonly config: QuorumConfig,
    private readonly newId: () => string = randomUUID,
  ) {}

  get current(): QuorumEpisode | undefined {
    return this.episode;
  }

  /**
   * Takes up what an earlier publisher (this process before a restart, or another detector that died)
   * remembered. Call only when becoming the publisher, never while running: an episode that ended and
   * formed again is a new one. The recorded episode continues only if it had not ended, all its surfaces
   * are members now, and none of them began a new idle run after it was last seen (so nothing broke it in
   * between). The cooldown is kept either way.
   */
  resume(record: QuorumRecord, members: readonly QuorumMember[]): void {
    if (record.lastEndedAt !== null) this.lastEndedAt = Math.max(this.lastEndedAt ?? -Infinity, record.lastEndedAt);
    const old = record.episode;
    if (old === null) return;
    const byId = new Map(members.map((m) => [m.id, m]));
    const continuous =
      members.length >= this.config.quorumSize &&
      old.surfaces.every((s) => {
        const m = byId.get(s);
        return m !== undefined && (m.idleSince === undefined || m.idleSince <= old.lastSeenAt);
      });
    if (!continuous) {
      // It ended while no publisher watched, some time after it was last seen: the cooldown runs from then.
      this.lastEndedAt = Math.max(this.lastEndedAt ?? -Infinity, old.lastSeenAt);
      return;
    }
    if (this.episode?.published === true && this.episode.id !== old.id) return;
    this.episode = { id: old.id, since: old.since, surfaces: members.map((m) => m.id).sort(), published: old.published };
  }

  /** Records that the episode's escalation was written. */
  markPublished(episodeId: string): void {
    if (this.episode?.id === episodeId) this.episode.published = true;
  }

  /** What to save so the next publisher neither repeats nor swallows an episode, nor forgets the cooldown. */
  record(): QuorumRecord {
    const e = this.episode;
    return {
      episode: e === undefined ? null : { ...e, surfaces: [...e.surfaces], lastSeenAt: this.lastSeenAt ?? e.since },
      lastEndedAt: this.lastEndedAt ?? null,
    };
  }

  /** Feeds the surfaces that count as idle right now (see `isQuorumMember`). */
  update(now: number, members: readonly QuorumMember[]): QuorumUpdate {
    const out: QuorumUpdate = {};
    const active = members.length >= this.config.quorumSize;
    const ids = members.map((m) => m.id).sort();
    if (!active) {
      if (this.episode !== undefined) {
        out.ended = this.episode;
        this.episode = undefined;
        this.lastEndedAt = now;
      }
      return out;
    }
    // A member idle since after the last look worked in between (a stint between two looks): that ended the episode.
    const seen = this.lastSeenAt;
    const episode = this.episode;
    if (episode !== undefined && seen !== undefined) {
      const rejoined = members.filter((m) => episode.surfaces.includes(m.id) && m.idleSince !== undefined && m.idleSince > seen).map((m) => m.idleSince as number);
      if (rejoined.length > 0) {
        out.ended = episode;
        this.episode = undefined;
        // It ended before its member went idle again: the cooldown runs from the latest sign of it, never earlier.
        this.lastEndedAt = Math.max(...rejoined);
      }
    }
    this.lastSeenAt = now;
    if (this.episode === undefined) {
      // The quorum formed when its last member went idle.
      const since = Math.max(...members.map((m) => m.idleSince ?? now));
      this.episode = { id: this.newId(), since: Math.min(since, now), surfaces: ids, published: false };
      out.started = this.episode;
    } else {
      this.episode.surfaces = ids;
    }
    const cooled = this.lastEndedAt === undefined || now - this.lastEndedAt >= this.config.quorumCooldownSeconds * 1000;
    if (!this.episode.published && cooled) {
      out.publish = {
        surfaces: ids,
        windowMinutes: this.config.quorumWindowSeconds / 60,
        quorumSize: this.config.quorumSize,
        episodeId: this.episode.id,
        since: new Date(this.episode.since).toISOString(),
      };
    }
    return out;
  }
}
