// Reads Claude Code's session registry (`<configDir>/sessions/<pid>.json`) of several config dirs: bounded, read-only.
import { opendirSync } from "node:fs";
import { join } from "node:path";
import { boundsMeter } from "../diagnostics/bounds-meter";
import { currentUid, readRegularFile } from "../fs/regular-file";
import { sessionsDirOf } from "./config-dirs";
import { isRecordLive, type LivenessVia } from "./liveness";
import { parseSessionRecord, type SessionRecord } from "./record";

/** At most this many records are read across all config dirs (one per running Claude Code: far more than a person runs). */
export const MAX_SESSION_RECORDS = 256;
/** A record is a few hundred bytes; anything near this is not one. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Claude Code rewrites a record in place (no rename): a read that is not JSON is tried again this many times. */
const TORN_READ_ATTEMPTS = 3;

export interface RegistrySession {
  record: SessionRecord;
  configDir: string;
  file: string;
  live: boolean;
}

export interface RegistryRead {
  sessions: RegistrySession[];
  /** Records that could not be used, each one line naming the file and why. */
  problems: string[];
}

export interface ReadRegistryOptions {
  /** Files must belong to this uid (default: the current user's); another's record is skipped. */
  uid?: number | undefined;
  maxRecords?: number;
  via?: LivenessVia;
}

/** Reads one record, trying again when it was caught half rewritten. */
export function readSessionFile(file: string, uid: number | undefined): { ok: true; record: SessionRecord } | { ok: false; missing: boolean; reason: string } {
  let last = "";
  for (let attempt = 0; attempt < TORN_READ_ATTEMPTS; attempt++) {
    const read = readRegularFile(file, MAX_RECORD_BYTES, uid);
    if (!read.ok) return { ok: false, missing: read.missing, reason: `${file} ${read.reason}` };
    boundsMeter.observe("sessions.recordBytes", read.text.length, MAX_RECORD_BYTES);
    const parsed = parseSessionRecord(read.text);
    if (parsed.ok) return parsed;
    last = `${file} ${parsed.reason}`;
    if (!parsed.torn) break;
  }
  return { ok: false, missing: false, reason: last };
}

/** Record names are `<pid>.json`; anything else in the directory is not Claude Code's and is left alone. */
const RECORD_NAME = /^[1-9]\d{0,9}\.json$/;

/** Up to `limit` record names of a directory (the listing itself is bounded too), or undefined when it cannot be listed. */
function listRecordNames(dir: string, limit: number): string[] | undefined {
  let handle;
  try {
    handle = opendirSync(dir);
  } catch {
    return undefined;
  }
  const names: string[] = [];
  try {
    // Other names (a `.sock`, editors' leftovers) are passed over, but only so many: a directory others fill
    // with junk cannot hold this reader for long.
    for (let scanned = 0; names.length < limit && scanned < limit * 8; scanned++) {
      const entry = handle.readSync();
      if (entry === null) break;
      if (RECORD_NAME.test(entry.name)) names.push(entry.name);
    }
  } catch {
    // A directory that vanished while being listed: what was read so far stands.
  } finally {
    handle.closeSync();
  }
  return names.sort();
}

/** Lists and reads every record of the given config dirs (never writes there), with each one's liveness. */
export function readRegistry(configDirs: readonly string[], options: ReadRegistryOptions = {}): RegistryRead {
  const uid = "uid" in options ? options.uid : currentUid();
  const max = options.maxRecords ?? MAX_SESSION_RECORDS;
  const sessions: RegistrySession[] = [];
  const problems: string[] = [];
  let seen = 0;
  for (const configDir of configDirs) {
    const dir = sessionsDirOf(configDir);
    const names = listRecordNames(dir, max + 1);
    if (names === undefined) continue; // No sessions directory: no Claude Code has run with this config dir.
    for (const name of names) {
      if (seen >= max) {
        boundsMeter.limitedOnce("sessions.records", max);
        problems.push(`${dir}: more than ${max} session records; the rest are not read`);
        return { sessions, problems };
      }
      seen++;
      const file = join(dir, name);
      const read = readSessionFile(file, uid);
      if (!read.ok) {
        if (!read.missing) problems.push(read.reason);
        continue;
      }
      if (`${read.record.pid}.json` !== name) {
        problems.push(`${file} names pid ${read.record.pid}, not the one in its file name; skipped`);
        continue;
      }
      sessions.push({ record: read.record, configDir, file, live: isRecordLive(read.record, options.via) });
    }
  }
  boundsMeter.observe("sessions.records", seen, max);
  return { sessions, problems };
}
