// Leases and per-sidetick records: JSON files under <poolRoot>/<identity>/.pool, written atomically; liveness is pure.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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

/** Writes JSON to a temporary name in the same directory, then renames: readers see the old or the new file, never half. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Reads a JSON file; undefined when it does not exist or is not valid JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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
