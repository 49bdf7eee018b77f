// Checks one API call from outside (an HTTP request, an IPC message): a known name and arguments its schema accepts.
// Shared by the HTTP adapter (cli/serve) and the app's IPC guard (electron/main) so both refuse alike.
import { API, type ApiName, fieldErrors } from "./api";

/** The largest arguments a call may carry, as JSON (the HTTP body limit; IPC is held to the same). */
export const MAX_CALL_BYTES = 256 * 1024;

/** A call that may be handed to its handler, or why not: 404 for a name that is no call, 400 for bad arguments. */
export type ParsedCall =
  | { ok: true; name: ApiName; args: unknown }
  | { ok: false; status: 400 | 404; error: string; field?: string; errors?: Record<string, string> };

/** At most 80 characters of a name for an error message: a hostile name must not flood a log or a response. */
function shownName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** Whether `name` is one of the API's calls (own keys only: "__proto__", "constructor", "toString" are not). */
export function isApiName(name: unknown): name is ApiName {
  return typeof name === "string" && Object.hasOwn(API, name);
}

/** Whether `name` changes anything (core/api.ts's `changes`): HTTP serves such a call to POST only. */
export function callChanges(name: ApiName): boolean {
  return API[name].changes;
}

/**
 * Validates a call's name and arguments against core/api.ts. `undefined` arguments mean none (as an empty HTTP body
 * does). Arguments larger than {@link MAX_CALL_BYTES} as JSON, or that cannot be written as JSON (cycles, BigInt), are
 * refused before the schema runs. On success `args` is the schema's output (unknown fields never pass: schemas are strict).
 */
export function parseApiCall(name: unknown, args: unknown): ParsedCall {
  if (typeof name !== "string") return { ok: false, status: 400, error: `the call's name must be a string, not ${name === null ? "null" : typeof name}`, field: "(name)" };
  if (!isApiName(name)) return { ok: false, status: 404, error: `no API call ${shownName(name)}` };
  const given = args === undefined ? {} : args;
  let size: number;
  try {
    size = JSON.stringify(given)?.length ?? 0;
  } catch {
    return { ok: false, status: 400, error: "(arguments): must be plain JSON data (no cycles, functions or BigInt)", field: "(arguments)" };
  }
  if (size > MAX_CALL_BYTES) return { ok: false, status: 400, error: `(arguments): larger than ${MAX_CALL_BYTES} bytes`, field: "(arguments)" };
  const parsed = API[name].args.safeParse(given);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues);
    const [field, message] = Object.entries(errors)[0] ?? ["(arguments)", "invalid"];
    return { ok: false, status: 400, error: `${field}: ${message}`, field, errors };
  }
  return { ok: true, name, args: parsed.data };
}
