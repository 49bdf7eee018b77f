// Reads and writes the preferences file for the app: validated with the core schema, errors per field, written atomically.
import { fieldErrors } from "../api";
import { describeError } from "../errors";
import { writeJsonAtomic } from "../fs/atomic-write";
import { readPrefsText } from "../prefs/read-prefs-text";
import { type Prefs, prefsSchema } from "../prefs/schema";
import { init } from "../pool/maintain";

/** What reading the file gave: the preferences in force, and why the file was not used when it was not. */
export interface PrefsRead {
  prefs: Prefs;
  problem: string | null;
}

/** Reads `file`; a missing file is the defaults; an unreadable or invalid one is the defaults with the problem named. */
export function readPrefsFile(file: string): PrefsRead {
  const read = readPrefsText(file);
  if (read.kind === "missing") return { prefs: prefsSchema.parse({}), problem: null };
  if (read.kind === "problem") return { prefs: prefsSchema.parse({}), problem: read.reason };
  try {
    const result = prefsSchema.safeParse(JSON.parse(read.text));
    if (result.success) return { prefs: result.data, problem: null };
    const errors = fieldErrors(result.error.issues);
    return { prefs: prefsSchema.parse({}), problem: `${file}: ${Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join("; ")}` };
  } catch (error) {
    return { prefs: prefsSchema.parse({}), problem: `${file}: ${describeError(error)}` };
  }
}

/** Validates `value`; on success writes it to `file`, else returns the errors by field (nothing is written). */
export function writePrefsFile(file: string, value: unknown): { ok: true; prefs: Prefs } | { ok: false; errors: Record<string, string> } {
  const result = prefsSchema.safeParse(value);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error.issues) };
  writeJsonAtomic(file, result.data, { mode: 0o600, durable: true });
  return { ok: true, prefs: result.data };
}

export interface PoolResize {
  identity: string;
  created: string[];
  removed: string[];
  kept: { path: string; reason: string }[];
  error: string | null;
}

/**
 * Applies the pool size of `next` to every identity it lists: grows at once, shrinks only free clean sideticks
 * (`init` keeps leased or dirty ones and says so). Skipped when nothing pool-related changed.
 */
export async function applyPoolPrefs(previous: Prefs, next: Prefs): Promise<PoolResize[]> {
  if (next.repo === undefined || next.identities.length === 0) return [];
  const changed = previous.poolSize !== next.poolSize || previous.repo !== next.repo || previous.poolRoot !== next.poolRoot || previous.identities.join() !== next.identities.join() || previous.baseRef !== next.baseRef;
  if (!changed) return [];
  const out: PoolResize[] = [];
  for (const identity of next.identities) {
    try {
      const r = await init({ repo: next.repo, poolRoot: next.poolRoot, identity, size: next.poolSize, defaultBase: next.baseRef, gitTimeoutSeconds: next.gitTimeoutSeconds });
      out.push({ identity, created: r.created, removed: r.removed, kept: r.kept, error: null });
    } catch (error) {
      out.push({ identity, created: [], removed: [], kept: [], error: describeError(error) });
    }
  }
  return out;
}
