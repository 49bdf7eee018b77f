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

export interface QuorumUpdate {
  /** Set when an escalation should be published now. */
  publish?: QuorumPayload;
  started?: QuorumEpisode;
  ended?: QuorumEpisode;
}

export class QuorumTracker {
  private episode: QuorumEpisode | undefined;
  private lastEndedAt: number | undefined;

  constructor(
    private readonly config: QuorumConfig,
    private readonly newId: () => string = randomUUID,
  ) {}

  get current(): QuorumEpisode | undefined {
    return this.episode;
  }

  /** Resumes an episode this detector (or an earlier run of it) already published, so a restart does not repeat it. */
  adopt(payload: QuorumPayload, members: readonly QuorumMember[]): void {
    const present = new Set(members.map((m) => m.id));
    if (this.episode !== undefined || members.length < this.config.quorumSize) return;
    if (!payload.surfaces.every((s) => present.has(s))) return;
    this.episode = { id: payload.episodeId, since: Date.parse(payload.since), surfaces: [...present].sort(), published: true };
  }

  /** Feeds the surfaces that are idle or standing-by within the window right now. */
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
      this.episode.published = true;
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
