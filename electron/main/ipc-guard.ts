// What the main process accepts over IPC: the channel names, calls validated with the API's schemas, and senders
// that are the app's own renderer page only. No Electron import: the wiring hands in names, payloads and frame URLs.
import { type ParsedCall, parseApiCall } from "../../core/api-call";

export type { ParsedCall } from "../../core/api-call";

/** The IPC channels between the preload and main (one list, bundled into both); nothing else is listened to. */
export { IPC } from "../ipc-channels";

/**
 * Validates one `otto:call` message exactly as the HTTP adapter validates a request (core/api-call.ts): an unknown
 * or non-string name, a prototype name ("__proto__", "constructor"), unknown fields, wrong types and oversized
 * arguments are refused with the field named; on success `args` is what the handler may be given.
 */
export function parseCall(name: unknown, args: unknown): ParsedCall {
  return parseApiCall(name, args);
}

function parsedFileUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "file:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an IPC message comes from our renderer's page: a `file:` URL with the same host (none) and exactly the same
 * path as `rendererIndexUrl` after URL normalisation (so `..` segments resolve before comparing and a path that only
 * starts like ours is not ours); any hash or query is allowed (the popover and preferences are routes of one page).
 * Everything else is refused: other files, http(s) pages, devtools, about:blank, a missing frame, or a renderer index
 * that is not a file: URL at all (fail closed: the app always loads its page from disk).
 */
export function isOwnFrame(frameUrl: string | undefined, rendererIndexUrl: string): boolean {
  if (frameUrl === undefined || frameUrl === "") return false;
  const frame = parsedFileUrl(frameUrl);
  const own = parsedFileUrl(rendererIndexUrl);
  if (frame === undefined || own === undefined) return false;
  return frame.host === own.host && frame.username === "" && frame.password === "" && frame.pathname === own.pathname;
}
