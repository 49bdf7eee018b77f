// Leases and per-sidetick records: JSON files under <poolRoot>/<identity>/.pool, written atomically; liveness is pure.
import { randomUUID } from "node:crypto";
import { readJsonFile } from "../fs/atomic-write";
import type { ProcessRef } from "../process-liveness";

/** A sidetick handed to a holder. Outlives the command that took it; free again when the holder dies or time runs out. */
export interface Lease {
  leaseId: string;
  /** The process whose life bounds the lease; null: held until released or expired. */
  holder: ProcessRef | null;
  /** The allocating or releasing process while it works on the sidetick; its death frees the sidetick. */
  pending: ProcessRef | null;
  since: string;
  expiresAt: string | null;
  ttlSeconds: number | null;
  branch: string | null;
  /** Base ref the sidetick was reset to, and its commit. */
  base: string;
  head: string | null;
}

/** The state file of one sidetick. */
export interface SidetickRecord {
  version: 1;
  sidetick: number;
  lease: Lease | null;
  releasedAt: string | null;
}

/** Why a lease does or does not hold its sidetick. */
export type LeaseLiveness = "none" | "active" | "expired" | "holder-dead" | "allocator-dead";

/** Decides whether a lease still holds its sidetick, for a given clock and process-liveness check (pure). */
export function leaseLiveness(lease: Lease | null, now: Date, isAlive: (ref: ProcessRef) => boolean): LeaseLiveness {
  if (lease === null) return "none";
  if (lease.expiresAt !== null && Date.parse(lease.expiresAt) <= now.getTime()) return "expired";
  if (lease.pending !== null && !isAlive(lease.pending)) return "allocator-dead";
  if (lease.holder !== null && !isAlive(lease.holder)) return "holder-dead";
  return "active";
}

/** Expiry time for a TTL in seconds from `now` (null: no TTL). */
export function expiryFor(now: Date, ttlSeconds: number | null | undefined): string | null {
  return ttlSeconds === null || ttlSeconds === undefined ? null : new Date(now.getTime() + ttlSeconds * 1000).toISOString();
}

/** A new lease id: short, unique, safe in file names and shells. */
export function newLeaseId(): string {
  return `lease-${randomUUID()}`;
}



function isRecord(value: unknown): value is SidetickRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<SidetickRecord>;
  return v.version === 1 && typeof v.sidetick === "number" && (v.lease === null || (typeof v.lease === "object" && typeof v.lease?.leaseId === "string"));
}

/** Reads a sidetick's record; a missing or unreadable file reads as "never leased". */
export function readRecord(path: string, sidetick: number): SidetickRecord {
  const value = readJsonFile(path);
  return isRecord(value) ? value : { version: 1, sidetick, lease: null, releasedAt: null };
}
