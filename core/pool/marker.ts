// The ownership marker `.zeta-pool-owner` in each sidetick, hidden from git, and the worktree lock reason other tools see.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeJsonAtomic } from "../fs/atomic-write";

/** File name other agents' prune logic looks for. */
export const MARKER_FILE = ".zeta-pool-owner";

/** Marker content: who owns the sidetick. */
export interface PoolMarker {
  tool: "otto-tray";
  identity: string;
  repo: string;
  poolRoot: string;
  sidetick: number;
  createdAt: string;
}

/** The `git worktree lock` reason: names the pool and identity so a person knows whom to ask. */
export function lockReason(poolRoot: string, identity: string): string {
  return `zeta-pool sidetick of identity ${identity} in pool ${poolRoot} (managed by otto-tray pool; do not remove)`;
}

/** Reads a sidetick's marker; undefined when missing or unreadable. */
export function readMarker(sidetickPath: string): PoolMarker | undefined {
  const value = readJsonFile(join(sidetickPath, MARKER_FILE)) as Partial<PoolMarker> | undefined;
  if (value === undefined || typeof value.identity !== "string") return undefined;
  return value as PoolMarker;
}

/** Writes the marker atomically and durably. */
export function writeMarker(sidetickPath: string, marker: PoolMarker): void {
  writeJsonAtomic(join(sidetickPath, MARKER_FILE), marker, { durable: true });
}

/** The marker of a sidetick that names another repository than `repoRoot` (left alone by every operation), if any. */
export function otherRepoMarker(sidetickPath: string, repoRoot: string): PoolMarker | undefined {
  const marker = readMarker(sidetickPath);
  return marker !== undefined && typeof marker.repo === "string" && marker.repo !== repoRoot ? marker : undefined;
}

const EXCLUDE_LINE = `/${MARKER_FILE}`;

/** Adds the marker to the common `info/exclude` once, so `git status` in every worktree ignores it (call under the repo lock). */
export function ensureMarkerExcluded(commonDir: string): void {
  const infoDir = join(commonDir, "info");
  const exclude = join(infoDir, "exclude");
  const text = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  if (text.split("\n").some((line) => line.trim() === EXCLUDE_LINE)) return;
  mkdirSync(infoDir, { recursive: true });
  appendFileSync(exclude, `${text === "" || text.endsWith("\n") ? "" : "\n"}# otto-tray worktree pool ownership marker\n${EXCLUDE_LINE}\n`);
}
