// Preferences read key by key: every valid setting is kept, a bad or unknown key falls back alone and is named.
import type { z } from "zod";
import { boundsMeter } from "../diagnostics/bounds-meter";
import { closestName } from "../text/closest-name";
import { issuesInWords } from "./issue-words";
import { actuatorPrefsSchema, bridgePrefsSchema, hungBeforeStaleMessage, notificationPrefsSchema, type Prefs, prefsObjectSchema, prefsSchema } from "./schema";

/** One key that was not used as written: which, and a line that says what is wrong and what is used instead. */
export interface PrefsProblem {
  key: string;
  text: string;
}

export interface LenientPrefs {
  prefs: Prefs;
  problems: PrefsProblem[];
}

/**
 * The actuator's keys fall back to what answers least, not to the defaults: an allowlist that cannot be read allows
 * nothing, and auto mode waits as long as it can. (Its policy is judged apart, failing closed for the whole section:
 * core/prefs/actuator-file.ts; this only keeps the rest of the app from running on a wider copy.)
 */
const SAFE_ACTUATOR_FALLBACK: Record<string, unknown> = { autoAllowlist: [], autoAfterSeconds: 86_400, autoCooldownSeconds: 86_400 };

type Shape = Record<string, z.ZodType>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A URL's credentials (`scheme://user:secret@host`) are never repeated in a message shown on screen or in a log. */
function withoutCredentials(value: unknown): unknown {
  return typeof value === "string" ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@") : value;
}

function shown(raw: unknown): string {
  const value = withoutCredentials(raw);
  if (value === undefined) return "unset";
  // Surfaces by their ids: the default list of objects would not fit a line.
  const brief = Array.isArray(value) ? value.map((v: unknown) => (isPlainObject(v) && typeof v.id === "string" ? v.id : v)) : value;
  const text = JSON.stringify(brief);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function unknownKey(key: string, known: readonly string[], where: string): string {
  const close = closestName(key.toLowerCase(), known.map((k) => k.toLowerCase()));
  const meant = close === undefined ? undefined : known.find((k) => k.toLowerCase() === close);
  const actuator = where === "actuator." ? "; the actuator answers nothing until it is fixed" : "";
  return `${where}${key}: unknown key, ignored${meant === undefined ? "" : ` (did you mean ${meant}?)`}${actuator}`;
}

/** Checks each key of `value` against `shape`; keeps the valid ones, names the others and uses `fallback` for them. */
function keepValid(value: Record<string, unknown>, shape: Shape, prefix: string, fallback: (key: string) => { value: unknown; words: string }, problems: PrefsProblem[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const schema = shape[key];
    if (schema === undefined) {
      problems.push({ key: `${prefix}${key}`, text: unknownKey(key, Object.keys(shape), prefix) });
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      kept[key] = raw;
      continue;
    }
    const instead = fallback(key);
    if (instead.value !== undefined) kept[key] = instead.value;
    problems.push({ key: `${prefix}${key}`, text: `${issuesInWords(parsed.error.issues, [...prefix.split(".").filter(Boolean), key])} (it is ${shown(raw)}); ${instead.words}` });
  }
  return kept;
}

function defaultOf(schema: z.ZodType | undefined): unknown {
  const parsed = schema?.safeParse(undefined);
  return parsed?.success === true ? parsed.data : undefined;
}

const defaultWords = (schema: z.ZodType | undefined) => () => {
  const value = defaultOf(schema);
  return { value: undefined, words: value === undefined ? "left unset" : `using the default, ${shown(value)}` };
};

/**
 * The preferences `json` sets, key by key. `json` must be an object (a file that is not one is not preferences at
 * all: the caller says so). Never throws.
 */
export function parsePrefsLenient(json: Record<string, unknown>): LenientPrefs {
  const problems: PrefsProblem[] = [];
  const shape = prefsObjectSchema.shape as unknown as Shape;
  const sectionShapes: Record<string, Shape> = {
    notifications: notificationPrefsSchema.shape as unknown as Shape,
    bridge: bridgePrefsSchema.shape as unknown as Shape,
    actuator: actuatorPrefsSchema.shape as unknown as Shape,
  };
  const plain = Object.fromEntries(Object.entries(json).filter(([key]) => !(key in sectionShapes)));
  const top = keepValid(plain, shape, "", (key) => defaultWords(shape[key])(), problems);
  // The two sections are read key by key too: one bad key there keeps the rest of the section.
  for (const [name, sectionShape] of Object.entries(sectionShapes)) {
    const raw = json[name];
    const actuator = name === "actuator";
    if (raw === undefined) continue;
    if (!isPlainObject(raw)) {
      top[name] = actuator ? SAFE_ACTUATOR_FALLBACK : {};
      problems.push({ key: name, text: `${name}: must be an object in { } (it is ${shown(raw)}); ${actuator ? "using the safe values; the actuator answers nothing until it is fixed" : "using the defaults"}` });
      continue;
    }
    const fallback = (key: string) => {
      if (!actuator) return defaultWords(sectionShape[key])();
      const safe = SAFE_ACTUATOR_FALLBACK[key];
      return { value: safe, words: `${safe === undefined ? "" : `using the safe value, ${shown(safe)}; `}the actuator answers nothing until it is fixed` };
    };
    top[name] = keepValid(raw, sectionShape, `${name}.`, fallback, problems);
  }
  // The one rule between keys: hung comes after stale. Keep stale (the earlier warning) and move hung up to it.
  const object = prefsObjectSchema.parse(top);
  if (object.hungAfterSeconds < object.staleAfterSeconds) {
    const used = Math.max(object.staleAfterSeconds, defaultOf(shape.hungAfterSeconds) as number);
    problems.push({ key: "hungAfterSeconds", text: `hungAfterSeconds: ${hungBeforeStaleMessage(object.staleAfterSeconds)} (it is ${object.hungAfterSeconds}); using ${used}` });
    top.hungAfterSeconds = used;
  }
  return { prefs: prefsSchema.parse(top), problems };
}

/** A file of a thousand typos is named by its first few: a person fixes those first, and a banner must stay short. */
export const MAX_PROBLEMS_NAMED = 20;

/** The problems as lines, one per key (at most {@link MAX_PROBLEMS_NAMED}, then a count), for stderr, `doctor` and the popover. */
export function problemLines(file: string, problems: readonly PrefsProblem[]): string[] {
  const named = Math.min(problems.length, MAX_PROBLEMS_NAMED);
  boundsMeter.observe("prefs.problemsNamed", named, MAX_PROBLEMS_NAMED);
  const lines = problems.slice(0, named).map((p) => `${file}: ${p.text}`);
  if (problems.length > named) {
    boundsMeter.limitedOnce("prefs.problemsNamed", MAX_PROBLEMS_NAMED);
    lines.push(`${file}: and ${problems.length - named} more keys not used as written`);
  }
  return lines;
}
