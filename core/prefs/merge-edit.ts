// Merges a preferences form's change into the file as it is on disk now: only the keys the person changed are written.
import type { z } from "zod";
import { issueInWords, pathText } from "./issue-words";
import { parsePrefsLenient } from "./lenient";
import { actuatorPrefsSchema, bridgePrefsSchema, hungBeforeStaleMessage, notificationPrefsSchema, prefsObjectSchema } from "./schema";

type Obj = Record<string, unknown>;
export type MergeResult = { ok: true; merged: Obj } | { ok: false; errors: Record<string, string> };

function isPlainObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function get(obj: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), obj);
}

/** Paths (["actuator", "blocklist"]) where `edited` differs from `base`; objects are compared key by key, lists whole. */
export function changedPaths(base: Obj, edited: Obj, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const key of new Set([...Object.keys(base), ...Object.keys(edited)])) {
    const a = base[key];
    const b = edited[key];
    if (isPlainObject(a) && isPlainObject(b)) out.push(...changedPaths(a, b, [...prefix, key]));
    else if (!same(a, b)) out.push([...prefix, key]);
  }
  return out;
}

const SECTIONS: Record<string, Record<string, z.ZodType>> = {
  actuator: actuatorPrefsSchema.shape as unknown as Record<string, z.ZodType>,
  notifications: notificationPrefsSchema.shape as unknown as Record<string, z.ZodType>,
  bridge: bridgePrefsSchema.shape as unknown as Record<string, z.ZodType>,
};

/** `value` when `schema` allows it, else the schema's default. */
function valueOrDefault<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : schema.parse(undefined);
}

/** The schema of the key at `path` (a top-level key or one in a section), if there is such a key. */
function schemaAt(path: readonly string[]): z.ZodType | undefined {
  const [head, sub] = path;
  return path.length === 1 ? (prefsObjectSchema.shape as unknown as Record<string, z.ZodType>)[head ?? ""] : path.length === 2 ? SECTIONS[head ?? ""]?.[sub ?? ""] : undefined;
}

/** `value` as the app reads it (a surface written as its bare id is the same surface as its object), for comparing. */
function asRead(path: readonly string[], value: unknown): unknown {
  const parsed = schemaAt(path)?.safeParse(value);
  return parsed?.success === true ? parsed.data : value;
}

/** What is wrong with `value` at `path`, in words, or null when it is allowed (undefined: back to the default). */
function fieldError(path: readonly string[], value: unknown): Record<string, string> | null {
  const schema = schemaAt(path);
  if (schema === undefined) return { [pathText(path)]: "unknown key: this version of Otto Tray has no such setting" };
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) out[pathText([...path, ...issue.path])] ??= issueInWords(issue);
  return out;
}

/**
 * `disk` (the file's object now, `{}` when there is none) with each key the person changed from `base` (the copy
 * the form started from) to `edited` set, and nothing else touched: unknown keys, keys left at their defaults and the
 * file's key order stay as they are. Refused, naming the key, when the change is invalid or when the file changed the
 * same key since the form was opened (to a value other than the person's). Without `base`, `edited` names only
 * the keys to set.
 */
export function mergePrefsEdit(disk: Obj, base: Obj | undefined, edited: Obj): MergeResult {
  // Without a starting copy, `edited` is a patch: every key it names is set (a program's call, not a form's).
  const changes = changedPaths(base ?? {}, edited);
  const errors: Record<string, string> = {};
  const now = parsePrefsLenient(disk).prefs as unknown as Obj;
  for (const path of changes) {
    const wanted = get(edited, path);
    Object.assign(errors, fieldError(path, wanted));
    const onDisk = get(now, path);
    if (base !== undefined && !same(onDisk, asRead(path, get(base, path))) && !same(onDisk, asRead(path, wanted))) {
      errors[pathText(path)] ??= `was changed in the file to ${JSON.stringify(onDisk) ?? "its default"} after this form was opened; reload the preferences to see it, then change it again`;
    }
    const [head] = path;
    if (path.length === 2 && head !== undefined && disk[head] !== undefined && !isPlainObject(disk[head])) {
      errors[pathText(path)] ??= `the file's "${head}" is not an object in { }; fix it in the file first (saving would replace what it holds)`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const merged = structuredClone(disk);
  for (const path of changes) {
    const parent = path.slice(0, -1).reduce<Obj>((o, k) => {
      if (!isPlainObject(o[k])) o[k] = {};
      return o[k] as Obj;
    }, merged);
    const last = path.at(-1) ?? "";
    const wanted = get(edited, path);
    if (wanted === undefined) delete parent[last];
    else parent[last] = wanted;
  }
  // The one rule between keys, checked on what the file will hold: named on the key the person changed.
  const touched = (key: string) => changes.some((p) => p.length === 1 && p[0] === key);
  const stale = valueOrDefault(prefsObjectSchema.shape.staleAfterSeconds, merged.staleAfterSeconds);
  const hung = valueOrDefault(prefsObjectSchema.shape.hungAfterSeconds, merged.hungAfterSeconds);
  if (hung < stale && (touched("hungAfterSeconds") || touched("staleAfterSeconds"))) {
    if (touched("hungAfterSeconds")) errors.hungAfterSeconds = hungBeforeStaleMessage(stale);
    else errors.staleAfterSeconds = `must be at most Hung after (hungAfterSeconds, now ${hung} s): a surface is stale before it is hung`;
    return { ok: false, errors };
  }
  return { ok: true, merged };
}
