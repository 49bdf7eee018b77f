// Merges Otto Tray's hook entries into a Claude Code settings object and takes them out again; pure, never touches other entries.
import { canonicalJson } from "../canonical-json";
import { HOOK_TOKEN_HEADER, ourHttpHandlerSurface } from "./http/hook-url";
import { HANDLED_EVENTS } from "./map";

type JsonRecord = Record<string, unknown>;

/** The settings document is not shaped like Claude Code's: the caller reports it and leaves the file alone. */
export class SettingsShapeError extends Error {}

/**
 * Events whose matcher filters on the tool name, so "*" is needed to see every tool; the rest fire for
 * every occurrence when the matcher is left out (and some versions ignore a matcher on them altogether).
 */
export const TOOL_EVENTS: ReadonlySet<string> = new Set(["PreToolUse", "PermissionRequest", "PostToolUse", "PostToolUseFailure"]);

/** Seconds Claude Code waits for our handler; it takes milliseconds, so a hang must not stall a session for the default minute. */
export const HOOK_TIMEOUT_SECONDS = 10;

/** Default of preferences' actuator.permissionWaitSeconds (how long the PermissionRequest hook may wait for a plan). */
export const DEFAULT_PERMISSION_WAIT_SECONDS = 600;

/**
 * The timeout installed for one event. PermissionRequest waits for a confirmed plan (the dialog stays usable
 * meanwhile), so its bound sits above the wait; Claude Code's kill at that bound is harmless (no decision printed).
 */
export function hookTimeoutSeconds(event: string, permissionWaitSeconds = DEFAULT_PERMISSION_WAIT_SECONDS): number {
  return event === "PermissionRequest" ? permissionWaitSeconds + HOOK_TIMEOUT_SECONDS : HOOK_TIMEOUT_SECONDS;
}

/** Our entries are recognised by this part of their command; the executable in front of it may change between installs. */
export function hookCommandMarker(surface: string): string {
  return `hook --surface ${surface} --pid "$PPID"`;
}

/** Quotes a word for sh (single quotes, with embedded quotes escaped). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line of one handler: the (already quoted) executable, our marker, then pass-through global options. */
export function buildHookCommand(executable: string, surface: string, extraArgs: readonly string[] = []): string {
  return [executable, hookCommandMarker(surface), ...extraArgs.map(shellQuote)].join(" ");
}

/** True when a handler command is one of ours for `surface`. */
export function isOurCommand(command: unknown, surface: string): boolean {
  if (typeof command !== "string") return false;
  const marker = hookCommandMarker(surface);
  const at = command.indexOf(marker);
  if (at < 0) return false;
  const before = at === 0 ? " " : command[at - 1];
  const after = command[at + marker.length];
  return before === " " && (after === undefined || after === " ");
}

/** True when a handler entry (a command or an HTTP hook) is one of ours for `surface`. */
export function isOurHandler(handler: JsonRecord, surface: string): boolean {
  return isOurCommand(handler.command, surface) || ourHttpHandlerSurface(handler) === surface;
}

/** How the handler is reached: a process per event (the default), or POSTs to the endpoint at `url` with its token. */
export type HookTransport = { kind: "command" } | { kind: "http"; url: string; token: string };

/** Claude Code sends no HTTP hook for these: they stay command hooks whatever the transport. */
export const COMMAND_ONLY_EVENTS: ReadonlySet<string> = new Set(["SessionStart"]);

/** The entry install writes for one event. */
export function hookEntry(event: string, command: string, timeout: number, transport: HookTransport): JsonRecord {
  if (transport.kind === "http" && !COMMAND_ONLY_EVENTS.has(event)) return { type: "http", url: transport.url, timeout, headers: { [HOOK_TOKEN_HEADER]: transport.token } };
  return { type: "command", command, timeout };
}

/** The keys of an entry that install owns; any other key a person added to it is kept. */
const ENTRY_KEYS = ["name", "type", "command", "url", "headers", "timeout", "allowedEnvVars"];

/**
 * What one agent's settings file gets for a surface: which events, the handler entry for each, and the group it goes in
 * (its matcher). Claude Code's is the default; Gemini CLI's file has the same shape with its own events
 * (core/hooks/agents/gemini-settings.ts).
 */
export interface HooksProfile {
  events: readonly string[];
  entry: (event: string) => JsonRecord;
  /** A new group for the event, without its `hooks`; an existing group is reused when `fits` says it covers every occurrence. */
  group: (event: string) => JsonRecord;
  fits: (event: string, group: JsonRecord) => boolean;
}

/** Claude Code's profile: every handled event, command or HTTP entries, "*" on tool events. */
export function claudeCodeProfile(command: string, permissionWaitSeconds = DEFAULT_PERMISSION_WAIT_SECONDS, transport: HookTransport = { kind: "command" }): HooksProfile {
  return {
    events: HANDLED_EVENTS,
    entry: (event) => hookEntry(event, command, hookTimeoutSeconds(event, permissionWaitSeconds), transport),
    group: (event) => (TOOL_EVENTS.has(event) ? { matcher: "*" } : {}),
    fits: matcherFits,
  };
}

/** What a change did, event by event. */
export interface HooksChange {
  settings: JsonRecord;
  added: string[];
  updated: string[];
  removed: string[];
  changed: boolean;
}

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** Deep copy through JSON: settings are JSON, and the input must stay untouched. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function hooksObjectFor(settings: JsonRecord): JsonRecord {
  if (!Object.hasOwn(settings, "hooks")) settings.hooks = {};
  const hooks = asRecord(settings.hooks);
  if (hooks === undefined) throw new SettingsShapeError(`"hooks" is ${JSON.stringify(settings.hooks)}, not an object`);
  return hooks;
}

function eventGroups(hooks: JsonRecord, event: string): unknown[] | undefined {
  if (!Object.hasOwn(hooks, event)) return undefined;
  const groups = hooks[event];
  if (!Array.isArray(groups)) throw new SettingsShapeError(`"hooks.${event}" is not an array`);
  return groups;
}

/**
 * Removes our handlers for `surface` from one event's groups. Groups and the event itself are dropped
 * only when this removal emptied them; anything already empty is someone else's and stays.
 */
function removeOurs(hooks: JsonRecord, event: string, surface: string, keep?: { group: JsonRecord; handler: JsonRecord }): boolean {
  const groups = Object.hasOwn(hooks, event) ? hooks[event] : undefined;
  // Not an array: not Claude Code's shape, so nothing of ours can be in it.
  if (!Array.isArray(groups)) return false;
  let removedAny = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = asRecord(groups[g]);
    const handlers = group?.hooks;
    if (group === undefined || !Array.isArray(handlers)) continue;
    const before = handlers.length;
    for (let h = handlers.length - 1; h >= 0; h--) {
      const handler = asRecord(handlers[h]);
      if (handler !== undefined && handler !== keep?.handler && isOurHandler(handler, surface)) handlers.splice(h, 1);
    }
    if (handlers.length === before) continue;
    removedAny = true;
    if (handlers.length === 0) groups.splice(g, 1);
  }
  if (removedAny && groups.length === 0) delete hooks[event];
  return removedAny;
}

function matcherFits(event: string, group: JsonRecord): boolean {
  const matcher = group.matcher;
  if (TOOL_EVENTS.has(event)) return matcher === "*";
  return matcher === undefined || matcher === "" || matcher === "*";
}

/** Our handler for an event: the first one in a group whose matcher covers every occurrence. */
function findOurs(groups: unknown[], event: string, surface: string, fits: HooksProfile["fits"]): { group: JsonRecord; handler: JsonRecord } | undefined {
  for (const item of groups) {
    const group = asRecord(item);
    if (group === undefined || !Array.isArray(group.hooks) || !fits(event, group)) continue;
    for (const entry of group.hooks) {
      const handler = asRecord(entry);
      if (handler !== undefined && isOurHandler(handler, surface)) return { group, handler };
    }
  }
  return undefined;
}

/**
 * Adds (or refreshes) one handler per handled event running `command`. Existing hooks and keys are kept
 * as they are; an entry of ours with an older command is updated in place; installing twice changes nothing.
 */
export function installHooks(original: JsonRecord, surface: string, command: string, permissionWaitSeconds = DEFAULT_PERMISSION_WAIT_SECONDS, transport: HookTransport = { kind: "command" }): HooksChange {
  return installHooksWith(original, surface, claudeCodeProfile(command, permissionWaitSeconds, transport));
}

/** {@link installHooks} for any agent's profile (the same merge rules: others' hooks and keys kept, twice changes nothing). */
export function installHooksWith(original: JsonRecord, surface: string, profile: HooksProfile): HooksChange {
  const settings = clone(original);
  const change: HooksChange = { settings, added: [], updated: [], removed: [], changed: false };
  const hooks = hooksObjectFor(settings);
  for (const event of profile.events) {
    const groups = eventGroups(hooks, event) ?? [];
    const ours = findOurs(groups, event, surface, profile.fits);
    const entry = profile.entry(event);
    if (ours !== undefined) {
      // Duplicates elsewhere (a wrong matcher, a second copy) go; the one in place is refreshed (and may change transport).
      removeOurs(hooks, event, surface, ours);
      const written = Object.fromEntries(ENTRY_KEYS.filter((key) => Object.hasOwn(ours.handler, key)).map((key) => [key, ours.handler[key]]));
      if (canonicalJson(written) !== canonicalJson(entry)) {
        for (const key of ENTRY_KEYS) delete ours.handler[key];
        Object.assign(ours.handler, entry);
        change.updated.push(event);
      }
      continue;
    }
    removeOurs(hooks, event, surface);
    const group: JsonRecord = profile.group(event);
    group.hooks = [entry];
    const current = eventGroups(hooks, event);
    if (current === undefined) hooks[event] = [group];
    else current.push(group);
    change.added.push(event);
  }
  change.changed = JSON.stringify(settings) !== JSON.stringify(original);
  return change;
}

/** Removes every handler of ours for `surface`, in any event, pruning only the groups, events and `hooks` it emptied. */
export function uninstallHooks(original: JsonRecord, surface: string): HooksChange {
  const settings = clone(original);
  const change: HooksChange = { settings, added: [], updated: [], removed: [], changed: false };
  const hooks = Object.hasOwn(settings, "hooks") ? asRecord(settings.hooks) : undefined;
  if (hooks === undefined) return change;
  for (const event of Object.keys(hooks)) {
    if (removeOurs(hooks, event, surface)) change.removed.push(event);
  }
  if (change.removed.length > 0 && Object.keys(hooks).length === 0) delete settings.hooks;
  change.changed = change.removed.length > 0;
  return change;
}
