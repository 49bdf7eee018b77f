// The running bridge's state in the state directory (`bridge-status.json`), for a one-shot `status`: what it links to,
// since when, and the other machines' surfaces. Written at most twice a second; read with a size bound.
import { join } from "node:path";
import { z } from "zod";
import { PublisherLock } from "../detect/publisher-lock";
import { isProcessAlive, processRef } from "../process-liveness";
import { writeJsonAtomic } from "../fs/atomic-write";
import { StatKeyedCache } from "../fs/stat-keyed-cache";
import { currentUid, readOwnJsonFile } from "../fs/regular-file";
import type { BridgeStatus } from "./bridge";
import { surfaceRecordSchema } from "./surface-record";

export const BRIDGE_STATUS_FILE = "bridge-status.json";
/** One bridge per machine and state directory: the app's or the CLI's, whichever locks this first. */
export const BRIDGE_LOCK_FILE = "bridge.lock";
/** 64 hosts × 16 surfaces of small records fit well inside this. */
const MAX_STATUS_BYTES = 4 * 1024 * 1024;
const MIN_WRITE_INTERVAL_MS = 500;

export function bridgeLock(homeDir: string): PublisherLock {
  return new PublisherLock(homeDir, BRIDGE_LOCK_FILE);
}

/** Writes `status()` when told it changed, at most every MIN_WRITE_INTERVAL_MS (coalesced); `flush` writes now. */
export class BridgeStatusFile {
  private timer: NodeJS.Timeout | undefined;
  private lastWrite = 0;
  readonly path: string;
  private readonly self = processRef(process.pid);

  constructor(
    homeDir: string,
    private readonly status: () => BridgeStatus,
    private readonly onProblem: (line: string) => void,
  ) {
    this.path = join(homeDir, BRIDGE_STATUS_FILE);
  }

  changed(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastWrite + MIN_WRITE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastWrite = Date.now();
    try {
      writeJsonAtomic(this.path, { ...this.status(), process: this.self, writtenAt: new Date().toISOString() }, { mode: 0o600 });
    } catch (error) {
      this.onProblem(`cannot write ${this.path}: ${(error as Error).message}`);
    }
  }
}

/** The file as the bridge writes it; anything else is named as a problem, never shown as a machine's state. */
const statusFileSchema = z.object({
  host: z.string(),
  url: z.string(),
  link: z.enum(["connecting", "connected", "reconnecting", "refused", "stopped"]),
  since: z.string(),
  problem: z.string().nullable(),
  remote: z.array(z.object({ host: z.string(), link: z.enum(["connected", "reconnecting", "silent"]), since: z.string().nullable(), lastSeen: z.string().nullable(), surfaces: z.array(surfaceRecordSchema) })),
  refusedRecords: z.number(),
  quorum: z.object({ publisher: z.string().nullable(), thisMachine: z.boolean() }).default({ publisher: null, thisMachine: false }),
  writtenAt: z.string().optional(),
  /** The bridge's process (pid and start time, so a reused pid is not taken for it). */
  process: z.object({ pid: z.number().int().positive(), start: z.string().optional() }).optional(),
});

export type BridgeStatusRead =
  | { kind: "none" }
  | { kind: "stopped"; last: (BridgeStatus & { writtenAt?: string }) | null }
  | { kind: "running"; status: BridgeStatus & { writtenAt?: string } }
  | { kind: "problem"; reason: string };

/** The file read and checked, before asking whether its process lives. */
type ParsedStatusFile = { kind: "none" } | { kind: "problem"; reason: string } | { kind: "parsed"; status: BridgeStatus & { writtenAt?: string; process?: { pid: number; start?: string | undefined } } };

function parseStatusFile(homeDir: string): ParsedStatusFile {
  const read = readOwnJsonFile(join(homeDir, BRIDGE_STATUS_FILE), MAX_STATUS_BYTES, currentUid());
  if (read.kind === "missing") return { kind: "none" };
  if (read.kind === "problem") return { kind: "problem", reason: read.reason };
  const parsed = statusFileSchema.safeParse(read.value);
  if (!parsed.success) return { kind: "problem", reason: `${join(homeDir, BRIDGE_STATUS_FILE)} is not a bridge status (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "invalid"})` };
  return { kind: "parsed", status: parsed.data };
}

function withLiveness(parsed: ParsedStatusFile): BridgeStatusRead {
  if (parsed.kind !== "parsed") return parsed;
  const status = parsed.status;
  // Running: its last word is not "stopped" and its process lives (a SIGKILL leaves no last word). The lock is not
  // probed: taking it even for a moment could make a bridge starting just then refuse to run.
  const running = status.link !== "stopped" && status.process !== undefined && isProcessAlive(status.process);
  return running ? { kind: "running", status } : { kind: "stopped", last: status };
}

/** What a reader knows of this state directory's bridge: running (its process lives) with its last state, or not. */
export function readBridgeStatus(homeDir: string): BridgeStatusRead {
  return withLiveness(parseStatusFile(homeDir));
}

/**
 * {@link readBridgeStatus} for a reader that asks often (the app, on every snapshot it pushes): the file (up to
 * 4 MiB of JSON) is read and checked again only when it changed (core/fs/stat-keyed-cache.ts); whether its process
 * lives is asked every time.
 */
export class BridgeStatusReader {
  private readonly cache: StatKeyedCache<ParsedStatusFile>;
  /** How many times the file was read and checked (for tests). */
  parses = 0;

  constructor(homeDir: string, clock: () => number = Date.now) {
    this.cache = new StatKeyedCache(() => {
      this.parses++;
      return { value: parseStatusFile(homeDir), paths: [join(homeDir, BRIDGE_STATUS_FILE)] };
    }, clock);
  }

  read(): BridgeStatusRead {
    return withLiveness(this.cache.get());
  }
}
