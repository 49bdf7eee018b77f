// Reads and writes the preferences file for the app: read key by key, and a save merged into the file as it is now.
import { describeError } from "../errors";
import { writeJsonAtomic } from "../fs/atomic-write";
import { parsePrefsLenient, problemLines } from "../prefs/lenient";
import { mergePrefsEdit } from "../prefs/merge-edit";
import { readPrefsText } from "../prefs/read-prefs-text";
import { type Prefs, prefsSchema } from "../prefs/schema";
import { init } from "../pool/maintain";

/** What reading the file gave: the preferences in force, why the file was not used at all, and each key that fell back. */
export interface PrefsRead {
  prefs: Prefs;
  /** The file could not be used at all (unreadable, not JSON, not an object): every setting is the default. */
  problem: string | null;
  /** Each key not used as written (unknown or invalid): it alone fell back. */
  problems: string[];
}

type FileObject = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

/** The file's JSON object as it is now (`{}` when there is none), or why it cannot be used. */
function readFileObject(file: string): FileObject {
  const read = readPrefsText(file);
  if (read.kind === "missing") return { ok: true, value: {} };
  if (read.kind === "problem") return { ok: false, problem: read.reason };
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    return { ok: false, problem: `${file} is not valid JSON (${describeError(error)}); fix its syntax` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, problem: `${file} is not a JSON object of preferences` };
  return { ok: true, value: json as Record<string, unknown> };
}

/** Reads `file`; a missing file is the defaults; an unusable file is the defaults with the problem named; a bad key falls back alone. */
export function readPrefsFile(file: string): PrefsRead {
  const object = readFileObject(file);
  if (!object.ok) return { prefs: prefsSchema.parse({}), problem: `${object.problem}; every setting is its default until it is fixed`, problems: [] };
  const lenient = parsePrefsLenient(object.value);
  return { prefs: lenient.prefs, problem: null, problems: problemLines(file, lenient.problems) };
}

/**
 * Saves what the person changed in the form (`edited` against `base`, the copy the form started from) into `file` as
 * it is on disk now: other keys, hand edits made meanwhile, unknown keys and the key order stay. Refused, with the
 * reason by field, when a change is invalid, conflicts with a change made in the file, or the file cannot be read as
 * preferences (writing would lose what it holds). Nothing is written when refused. Without `base`, `edited` names only
 * the keys to set (a program's call).
 */
export function writePrefsFile(file: string, base: Record<string, unknown> | undefined, edited: Record<string, unknown>): { ok: true; prefs: Prefs } | { ok: false; errors: Record<string, string> } {
  const disk = readFileObject(file);
  if (!disk.ok) return { ok: false, errors: { "(file)": `${disk.problem}; nothing was saved, so that nothing in it is lost` } };
  const merged = mergePrefsEdit(disk.value, base, edited);
  if (!merged.ok) return merged;
  writeJsonAtomic(file, merged.merged, { mode: 0o600, durable: true });
  return { ok: true, prefs: parsePrefsLenient(merged.merged).prefs };
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
