// The `--worktrees` hook entries (WorktreeCreate, WorktreeRemove, SessionEnd's keep) in a Claude Code settings object; pure.
import { UsageError } from "../errors";
import { type HooksChange, SettingsShapeError, shellQuote } from "./settings";

type JsonRecord = Record<string, unknown>;

/** Each event and the `otto-tray hook` subcommand that serves it. */
export const WORKTREE_HOOKS = { WorktreeCreate: "worktree-create", WorktreeRemove: "worktree-remove", SessionEnd: "worktree-keep" } as const;
export type WorktreeEvent = keyof typeof WORKTREE_HOOKS;

/** Claude Code runs only one worktree maker: these events may hold one surface's entries, never two. */
const EXCLUSIVE_EVENTS: readonly WorktreeEvent[] = ["WorktreeCreate", "WorktreeRemove"];

/**
 * Seconds Claude Code waits for each. WorktreeCreate may make a repository's first sidetick (a checkout of the whole
 * tree) and WorktreeRemove commits unsaved work; SessionEnd's keep only rewrites a record.
 */
export const WORKTREE_HOOK_TIMEOUTS: Record<WorktreeEvent, number> = { WorktreeCreate: 300, WorktreeRemove: 120, SessionEnd: 10 };

/** The part of a worktree entry's command that makes it ours for `surface`. */
export function worktreeHookMarker(surface: string, event: WorktreeEvent): string {
  return `hook ${WORKTREE_HOOKS[event]} --surface ${surface} --pid "$PPID"`;
}

/** The command line of one worktree entry. */
export function buildWorktreeHookCommand(executable: string, surface: string, event: WorktreeEvent, extraArgs: readonly string[] = []): string {
  return [executable, worktreeHookMarker(surface, event), ...extraArgs.map(shellQuote)].join(" ");
}

const OWNER = /(?:^| )hook worktree-(?:create|remove) --surface (\S+) --pid "\$PPID"(?: |$)/;

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

function handlersOf(hooks: JsonRecord, event: string): { group: JsonRecord; handlers: unknown[] }[] {
  const groups = hooks[event];
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((item) => {
    const group = asRecord(item);
    return group !== undefined && Array.isArray(group.hooks) ? [{ group, handlers: group.hooks as unknown[] }] : [];
  });
}

// Removes this surface's entries of `event`; drops only the groups and the event that removal emptied.
function removeOurs(hooks: JsonRecord, event: WorktreeEvent, surface: string): boolean {
  const marker = worktreeHookMarker(surface, event);
  let removed = false;
  for (const { group, handlers } of handlersOf(hooks, event)) {
    const before = handlers.length;
    for (let h = handlers.length - 1; h >= 0; h--) {
      const command = asRecord(handlers[h])?.command;
      if (typeof command === "string" && (command.endsWith(` ${marker}`) || command.includes(` ${marker} `) || command.startsWith(marker))) handlers.splice(h, 1);
    }
    if (handlers.length === before) continue;
    removed = true;
    if (handlers.length === 0) {
      const groups = hooks[event] as unknown[];
      groups.splice(groups.indexOf(group), 1);
    }
  }
  const left = hooks[event];
  if (removed && Array.isArray(left) && left.length === 0) delete hooks[event];
  return removed;
}

/**
 * Adds the worktree entries for `surface` on top of `change` (what installHooks did). Another surface's
 * WorktreeCreate/WorktreeRemove entry in the same file is refused: Claude Code would run both and make two worktrees.
 */
export function installWorktreeHooks(change: HooksChange, surface: string, executable: string, extraArgs: readonly string[] = []): HooksChange {
  const settings = change.settings;
  if (!Object.hasOwn(settings, "hooks")) settings.hooks = {};
  const hooks = asRecord(settings.hooks);
  if (hooks === undefined) return change;
  for (const event of EXCLUSIVE_EVENTS) {
    for (const { handlers } of handlersOf(hooks, event)) {
      for (const handler of handlers) {
        const owner = OWNER.exec(String(asRecord(handler)?.command ?? ""))?.[1];
        if (owner !== undefined && owner !== surface) {
          throw new UsageError(`refused: ${event} in this settings file already runs otto-tray's worktree hook for ${owner}; Claude Code would run both (uninstall ${owner}'s hooks first)`);
        }
      }
    }
  }
  let changed = false;
  for (const event of Object.keys(WORKTREE_HOOKS) as WorktreeEvent[]) {
    if (Object.hasOwn(hooks, event) && !Array.isArray(hooks[event])) throw new SettingsShapeError(`"hooks.${event}" is not an array`);
    const entry = { type: "command", command: buildWorktreeHookCommand(executable, surface, event, extraArgs), timeout: WORKTREE_HOOK_TIMEOUTS[event] };
    const existing = handlersOf(hooks, event).flatMap(({ handlers }) => handlers.map(asRecord)).find((h) => JSON.stringify(h) === JSON.stringify(entry));
    if (existing !== undefined) continue;
    const had = removeOurs(hooks, event, surface);
    const groups = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : (hooks[event] = []);
    (groups as unknown[]).push({ hooks: [entry] });
    (had ? change.updated : change.added).push(event);
    changed = true;
  }
  change.changed ||= changed;
  return change;
}

/** Takes this surface's worktree entries out again, on top of what uninstallHooks did. */
export function uninstallWorktreeHooks(change: HooksChange, surface: string): HooksChange {
  const hooks = asRecord(change.settings.hooks);
  if (hooks === undefined) return change;
  for (const event of Object.keys(WORKTREE_HOOKS) as WorktreeEvent[]) {
    if (removeOurs(hooks, event, surface) && !change.removed.includes(event)) change.removed.push(event);
  }
  if (change.removed.length > 0 && Object.keys(hooks).length === 0) delete change.settings.hooks;
  change.changed ||= change.removed.length > 0;
  return change;
}

/** Per surface, the worktree events it has entries of ours for (for `hooks status`). */
export function worktreeHooksOf(settings: JsonRecord): Map<string, WorktreeEvent[]> {
  const bySurface = new Map<string, WorktreeEvent[]>();
  const hooks = asRecord(settings.hooks);
  if (hooks === undefined) return bySurface;
  for (const event of Object.keys(WORKTREE_HOOKS) as WorktreeEvent[]) {
    const pattern = new RegExp(`(?:^| )hook ${WORKTREE_HOOKS[event]} --surface (\\S+) --pid "\\$PPID"(?: |$)`);
    for (const { handlers } of handlersOf(hooks, event)) {
      for (const handler of handlers) {
        const surface = pattern.exec(String(asRecord(handler)?.command ?? ""))?.[1];
        if (surface === undefined) continue;
        const events = bySurface.get(surface) ?? [];
        if (!events.includes(event)) events.push(event);
        bySurface.set(surface, events);
      }
    }
  }
  return bySurface;
}
