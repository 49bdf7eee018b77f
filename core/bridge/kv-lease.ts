// A lease in a NATS KV bucket: one holder across machines (the quorum's one publisher). Taken with `create` (only if
// absent), renewed with `update` at the revision it last wrote (a stale holder is refused), and taken over only after
// its revision has not moved for the TTL plus a second of slack, on the taker's own clock (no clocks compared).
import type { KV } from "./nats-link";

export interface LeaseValue {
  holder: string;
  pid: number;
  renewedAt: string;
}

/** Lease timing: renewed every third of its TTL, so two renewals can be lost before another may take it. */
export interface LeaseTiming {
  ttlMs: number;
  /** Expiry on the server and clocks can lag (2.10 expires up to a second late): never take over before this too. */
  slackMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 10_000, slackMs: 1000 };

export class KvLease {
  /** The revision we last wrote while we hold it. */
  private revision: number | undefined;
  /** Another holder's revision, and when (our clock) we first saw it: unchanged for TTL + slack means it is dead. */
  private observed: { revision: number; since: number } | undefined;

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly holder: string,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {}

  get held(): boolean {
    return this.revision !== undefined;
  }

  /** The holder's name as last read or written (for "publisher: mac-b"), if known. */
  currentHolder: string | undefined;

  private value(now: number): string {
    const value: LeaseValue = { holder: this.holder, pid: process.pid, renewedAt: new Date(now).toISOString() };
    return JSON.stringify(value);
  }

  /**
   * One step: renew what we hold, or try to take it (free, or its holder silent too long). Returns whether we hold
   * it now. Any failure (the link, a refused write) counts as not holding it: fail closed, never two publishers.
   */
  async step(now: number = Date.now()): Promise<boolean> {
    if (this.revision !== undefined) {
      try {
        this.revision = await this.kv.update(this.key, this.value(now), this.revision);
        return true;
      } catch {
        this.revision = undefined;
        return false;
      }
    }
    try {
      this.revision = await this.kv.create(this.key, this.value(now));
      this.currentHolder = this.holder;
      this.observed = undefined;
      return true;
    } catch {
      // Someone holds it (or the link failed): look at it.
    }
    let entry: Awaited<ReturnType<KV["get"]>>;
    try {
      entry = await this.kv.get(this.key);
    } catch {
      return false;
    }
    if (entry === null) return false;
    try {
      this.currentHolder = (entry.json<LeaseValue>() as LeaseValue | null)?.holder;
    } catch {
      this.currentHolder = undefined;
    }
    if (this.observed?.revision !== entry.revision) {
      this.observed = { revision: entry.revision, since: now };
      return false;
    }
    if (now - this.observed.since < this.timing.ttlMs + this.timing.slackMs) return false;
    // Its holder stopped renewing: take it at exactly that revision (of two takers, one wins).
    try {
      this.revision = await this.kv.update(this.key, this.value(now), entry.revision);
      this.currentHolder = this.holder;
      this.observed = undefined;
      return true;
    } catch {
      return false;
    }
  }

  /** Gives it back (a clean stop): deleted at our revision, so another takes it at once instead of after the TTL. */
  async release(): Promise<void> {
    const revision = this.revision;
    this.revision = undefined;
    if (revision === undefined) return;
    await this.kv.delete(this.key, { previousSeq: revision }).catch(() => undefined);
  }
}
