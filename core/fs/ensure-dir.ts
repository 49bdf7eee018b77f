// Creates a directory and its missing parents with a bounded walk: node's recursive mkdir spins forever under /proc.
import { mkdirSync, promises as fsp } from "node:fs";
import { dirname } from "node:path";

// Deeper than any real path; past it the walk gives up instead of looping.
const MAX_DEPTH = 128;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === "string" ? value : undefined;
}

function tooDeep(dir: string): Error {
  return Object.assign(new Error(`cannot create ${dir}: no existing parent found within ${MAX_DEPTH} levels`), { code: "ENOENT" });
}

/**
 * `mkdir -p` that always ends. Node's `mkdirSync(dir, { recursive: true })` loops at full CPU when a parent
 * answers ENOENT although it exists (`/proc/nope`); this walk creates each missing level once, top-down,
 * and reports the first error that is not "already exists".
 */
export function ensureDirSync(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  let current = dir;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_DEPTH) throw tooDeep(dir);
    try {
      mkdirSync(current, { mode });
      break;
    } catch (error) {
      if (code(error) === "EEXIST") break;
      const parent = dirname(current);
      if (code(error) !== "ENOENT" || parent === current) throw error;
      missing.push(current);
      current = parent;
    }
  }
  // Each level once, parents first; a level that still cannot be made fails the whole call.
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i] as string, { mode });
    } catch (error) {
      if (code(error) !== "EEXIST") throw error;
    }
  }
}

/** The asynchronous twin of {@link ensureDirSync}: the same bounded walk, off the main thread. */
export async function ensureDir(dir: string, mode = 0o700): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_DEPTH) throw tooDeep(dir);
    try {
      await fsp.mkdir(current, { mode });
      break;
    } catch (error) {
      if (code(error) === "EEXIST") break;
      const parent = dirname(current);
      if (code(error) !== "ENOENT" || parent === current) throw error;
      missing.push(current);
      current = parent;
    }
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      await fsp.mkdir(missing[i] as string, { mode });
    } catch (error) {
      if (code(error) !== "EEXIST") throw error;
    }
  }
}
