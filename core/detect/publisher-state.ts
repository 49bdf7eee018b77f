// What the bus's publisher has escalated (nudged streaks, streaks, quorum episode, cooldown), saved beside its lock.
import { join } from "node:path";
import { z } from "zod";
import { readRegularFile } from "../fs/regular-file";
import { currentUid } from "../bus/trust";
import { writeFileAtomic } from "../fs/atomic-write";
import type { StreakMemory } from "../surfaces/streak";
import type { QuorumRecord } from "./quorum";

/**
 * The state file's name in the bus directory. Not `*.json`, so no reader (ours or another tool's) takes it
 * for an envelope and no `bus clean` deletes it: envelopes expire and are cleaned, this memory must not be.
 */
export const PUBLISHER_STATE_FILE = "otto-tray-publisher.state";

export interface PublisherState {
  version: 1;
  /** Streak ids already nudged, oldest first. */
  nudged: string[];
  /** Each surface's running brief-ack streak. */
  streaks: Record<string, StreakMemory>;
  quorum: QuorumRecord;
}

export const EMPTY_PUBLISHER_STATE: PublisherState = { version: 1, nudged: [], streaks: {}, quorum: { episode: null, lastEndedAt: null } };

const ms = z.number().finite();
const stateSchema = z.object({
  version: z.literal(1),
  nudged: z.array(z.string().max(200)).max(10_000),
  streaks: z.record(z.string(), z.object({ startId: z.string().optional(), startAt: ms.optional(), count: z.number().int().min(0), lastAt: ms, lastId: z.string().optional() })),
  quorum: z.object({
    episode: z
      .object({ id: z.string(), since: ms, surfaces: z.array(z.string()), published: z.boolean(), lastSeenAt: ms })
      .nullable(),
    lastEndedAt: ms.nullable(),
  }),
});

const MAX_STATE_BYTES = 1024 * 1024;

export type LoadedState = { ok: true; state: PublisherState } | { ok: false; state: PublisherState; problem: string };

/** Reads and saves the publisher state of one bus directory. */
export class PublisherStateFile {
  readonly path: string;

  constructor(busDir: string) {
    this.path = join(busDir, PUBLISHER_STATE_FILE);
  }

  /** A missing file is an empty memory; an unreadable or invalid one is reported (and treated as empty). */
  load(): LoadedState {
    // The bus is shared: never follow a symlink, never block on a FIFO, only read our own file.
    const read = readRegularFile(this.path, MAX_STATE_BYTES, currentUid());
    if (!read.ok) {
      if (!read.ok && read.missing) return { ok: true, state: EMPTY_PUBLISHER_STATE };
      return { ok: false, state: EMPTY_PUBLISHER_STATE, problem: `${this.path} ${read.reason}; escalations already published may be repeated` };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(read.text);
    } catch {
      return { ok: false, state: EMPTY_PUBLISHER_STATE, problem: `${this.path} is not valid JSON; escalations already published may be repeated` };
    }
    const parsed = stateSchema.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, state: EMPTY_PUBLISHER_STATE, problem: `${this.path} is not a publisher state (${parsed.error.issues[0]?.message ?? "invalid"})` };
    }
    return { ok: true, state: parsed.data as PublisherState };
  }

  /** Atomic replace (readers see the old state or the new one). Throws on failure. */
  save(state: PublisherState): void {
    writeFileAtomic(this.path, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  }
}
