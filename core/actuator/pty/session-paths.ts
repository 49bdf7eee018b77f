// Where hosted sessions register and where their control sockets live (short paths: macOS allows 104 bytes).
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readJsonFile } from "../../fs/atomic-write";
import { currentUid } from "../../bus/trust";
import type { ProcessRef } from "../../process-liveness";

/** A hosted session as registered by `otto-tray run`. */
export interface SessionRecord {
  surface: string;
  sessionId: string;
  /** The `otto-tray run` process (the host), with its start time so a reused pid is not taken for it. */
  host: ProcessRef;
  /** The hosted program's pid. */
  childPid: number;
  socket: string;
  cwd: string;
  command: string[];
  startedAt: string;
}

export function sessionsDir(homeDir: string): string {
  return join(homeDir, "sessions");
}

export function sessionRecordPath(homeDir: string, surface: string): string {
  return join(sessionsDir(homeDir), `${surface}.json`);
}

/** An owner-only directory for sockets under the system temp dir, keyed by uid, and a short name per session. */
export function socketPath(homeDir: string, surface: string): string {
  const dir = join(tmpdir(), `ot-${currentUid() ?? "u"}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.isSymbolicLink() || (currentUid() !== undefined && stat.uid !== currentUid()) || (stat.mode & 0o077) !== 0) {
    throw new Error(`${dir} is not a private directory of yours: refusing to put a control socket there`);
  }
  const key = createHash("sha256").update(`${homeDir}\0${surface}`).digest("hex").slice(0, 16);
  return join(dir, `${key}.sock`);
}

/** Every registered session (records that cannot be read are skipped). */
export function listSessionRecords(homeDir: string): SessionRecord[] {
  let names: string[];
  try {
    names = readdirSync(sessionsDir(homeDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".json"))
    .map((n) => readJsonFile(join(sessionsDir(homeDir), n)) as SessionRecord | undefined)
    .filter((r): r is SessionRecord => r !== undefined && typeof r.surface === "string" && typeof r.socket === "string" && typeof r.host?.pid === "number");
}
