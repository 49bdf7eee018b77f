// What a Claude Code settings object holds of Otto Tray's hooks, per surface, and whether its permission mode lets PermissionRequest fire; pure.
import { HOOK_TOKEN_HEADER, ourHttpHandlerSurface } from "./http/hook-url";
import { HANDLED_EVENTS } from "./map";
import { COMMAND_ONLY_EVENTS, DEFAULT_PERMISSION_WAIT_SECONDS, hookTimeoutSeconds, isOurCommand, TOOL_EVENTS } from "./settings";

type JsonRecord = Record<string, unknown>;

/** One surface's install as found in a settings file. */
export interface SurfaceHooksStatus {
  surface: string;
  /** Every mapped event has our entry, with the matcher and timeout `install` writes today. */
  current: boolean;
  /** Mapped events with a fitting entry of ours. */
  installed: string[];
  /** Mapped events without one (an install by an older otto-tray): `hooks install` adds them in place. */
  missing: string[];
  /** Events whose entry differs from what `install` writes now (timeout, matcher, or a second command). */
  outdated: string[];
  /** The distinct command lines of the surface's entries. */
  commands: string[];
  /** How its events reach the handler: `http` when any entry posts to the endpoint (SessionStart stays a command). */
  transport: "command" | "http";
  /** The distinct endpoint URLs of its HTTP entries. */
  urls: string[];
  /** HTTP entries only: whether every one carries the endpoint's current token (null: no HTTP entry, or no token to compare). */
  tokenCurrent: boolean | null;
}

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

const SURFACE_IN_COMMAND = /(?:^| )hook --surface (\S+) --pid "\$PPID"(?: |$)/;

interface Entry {
  event: string;
  matcher: unknown;
  handler: JsonRecord;
}

function entriesOf(settings: JsonRecord): Map<string, Entry[]> {
  const bySurface = new Map<string, Entry[]>();
  const hooks = asRecord(settings.hooks);
  if (hooks === undefined) return bySurface;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const item of groups) {
      const group = asRecord(item);
      if (group === undefined || !Array.isArray(group.hooks)) continue;
      for (const entry of group.hooks) {
        const handler = asRecord(entry);
        if (handler === undefined) continue;
        const surface = surfaceOf(handler);
        if (surface === undefined) continue;
        const list = bySurface.get(surface) ?? [];
        list.push({ event, matcher: group.matcher, handler });
        bySurface.set(surface, list);
      }
    }
  }
  return bySurface;
}

/** The surface an entry of ours is for (its command's --surface, or its endpoint URL's); undefined for anyone else's. */
function surfaceOf(handler: JsonRecord): string | undefined {
  if (handler.type === "http") return ourHttpHandlerSurface(handler);
  const command = handler.command;
  if (typeof command !== "string") return undefined;
  const surface = SURFACE_IN_COMMAND.exec(command)?.[1];
  return surface !== undefined && isOurCommand(command, surface) ? surface : undefined;
}

function tokenOf(handler: JsonRecord): unknown {
  return asRecord(handler.headers)?.[HOOK_TOKEN_HEADER];
}

function matcherFits(event: string, matcher: unknown): boolean {
  if (TOOL_EVENTS.has(event)) return matcher === "*";
  return matcher === undefined || matcher === "" || matcher === "*";
}

/** Every surface with entries of ours in `settings` (or only `only`, reported even when absent), sorted by id. */
export function inspectHooks(settings: JsonRecord, only?: string, permissionWaitSeconds = DEFAULT_PERMISSION_WAIT_SECONDS, currentToken?: string): SurfaceHooksStatus[] {
  const found = entriesOf(settings);
  const surfaces = only === undefined ? [...found.keys()].sort() : [only];
  return surfaces.map((surface) => {
    const entries = found.get(surface) ?? [];
    const commandEntries = entries.filter((e) => e.handler.type !== "http");
    const httpEntries = entries.filter((e) => e.handler.type === "http");
    const commands = [...new Set(commandEntries.map((e) => String(e.handler.command)))];
    const urls = [...new Set(httpEntries.map((e) => String(e.handler.url)))];
    const transport = httpEntries.length > 0 ? "http" : "command";
    // Under the HTTP transport every event but SessionStart posts; a mix left by an interrupted change is out of date.
    const expectedType = (event: string) => (transport === "http" && !COMMAND_ONLY_EVENTS.has(event) ? "http" : "command");
    const tokens = new Set(httpEntries.map((e) => tokenOf(e.handler)));
    const tokenCurrent = httpEntries.length === 0 || currentToken === undefined ? null : tokens.size === 1 && tokens.has(currentToken);
    const installed = HANDLED_EVENTS.filter((event) => entries.some((e) => e.event === event && matcherFits(event, e.matcher)));
    const missing = HANDLED_EVENTS.filter((event) => !installed.includes(event));
    const outdated = [
      ...new Set(
        entries
          .filter(
            (e) =>
              e.handler.type !== expectedType(e.event) ||
              e.handler.timeout !== hookTimeoutSeconds(e.event, permissionWaitSeconds) ||
              !matcherFits(e.event, e.matcher) ||
              commands.length > 1 ||
              urls.length > 1 ||
              (e.handler.type === "http" && tokenCurrent === false),
          )
          .map((e) => e.event),
      ),
    ];
    const unknown = [...new Set(entries.map((e) => e.event).filter((event) => !(HANDLED_EVENTS as readonly string[]).includes(event)))];
    outdated.push(...unknown.filter((event) => !outdated.includes(event)));
    return { surface, current: entries.length > 0 && missing.length === 0 && outdated.length === 0, installed, missing, outdated, commands, transport, urls, tokenCurrent };
  });
}

/** Whether the settings' permission mode lets dialogs send PermissionRequest, and what to change if not. */
export interface PermissionModeAdvice {
  /** `permissions.defaultMode` as written, or null when the file does not set it. */
  defaultMode: string | null;
  /** False when dialogs in this mode send no PermissionRequest (auto mode, Claude Code 2.1.330's default). */
  permissionRequestFires: boolean;
  /** What to change, when something should change. */
  advice: string | null;
}

/** Modes in which Claude Code shows its classic dialogs (and sends PermissionRequest with each). */
const DIALOG_MODES: ReadonlySet<string> = new Set(["default", "acceptEdits", "plan"]);
/** Modes that never ask: no dialog, so nothing to report. */
const NO_DIALOG_MODES: ReadonlySet<string> = new Set(["bypassPermissions", "dontAsk"]);

/** Reads `permissions.defaultMode`: unset or `auto` means auto mode (the default of Claude Code 2.1.330). */
export function permissionModeAdvice(settings: JsonRecord, file: string): PermissionModeAdvice {
  const raw = asRecord(settings.permissions)?.defaultMode;
  const defaultMode = typeof raw === "string" ? raw : null;
  if (defaultMode !== null && DIALOG_MODES.has(defaultMode)) return { defaultMode, permissionRequestFires: true, advice: null };
  if (defaultMode !== null && NO_DIALOG_MODES.has(defaultMode)) {
    return { defaultMode, permissionRequestFires: false, advice: `permissions.defaultMode is ${JSON.stringify(defaultMode)} in ${file}: Claude Code shows no permission dialogs, so none is reported` };
  }
  const what = defaultMode === null ? "permissions.defaultMode is not set" : `permissions.defaultMode is ${JSON.stringify(defaultMode)}`;
  return {
    defaultMode,
    permissionRequestFires: false,
    advice:
      `${what} in ${file}, so Claude Code (2.1.330 and later) starts in its auto mode, where a dialog sends no PermissionRequest: ` +
      `Otto Tray learns of it only from Notification agent_needs_input, later or not at all. ` +
      `To have every dialog reported at once, set "permissions": {"defaultMode": "default"} in ${file}.`,
  };
}

