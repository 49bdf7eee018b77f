// Otto Tray's hooks in a Codex CLI `config.toml`, as one clearly marked block per surface: added at the end and taken
// out exactly, every other byte of the person's file (comments included) kept; every result is checked by a TOML parser.
import { parse } from "smol-toml";
import { SettingsShapeError } from "../settings";

/** The Codex events Otto Tray listens to (0.171.0; it has no Notification event). */
export const CODEX_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop", "SessionEnd"] as const;

const begin = (surface: string) => `# >>> otto-tray hooks for ${surface}: managed by otto-tray (otto-tray hooks uninstall --surface ${surface} removes them)`;
const end = (surface: string) => `# <<< otto-tray hooks for ${surface}`;

/** A TOML basic string: quotes, backslashes and control characters escaped (the command holds shell quoting). */
export function tomlString(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `"${out}"`;
}

/** The block for `surface`: one `[[hooks.<Event>]]` with one command hook per event. */
export function codexHooksBlock(surface: string, command: string, timeoutFor: (event: string) => number): string {
  const lines = [begin(surface)];
  for (const event of CODEX_EVENTS) {
    lines.push(`[[hooks.${event}]]`, `[[hooks.${event}.hooks]]`, 'type = "command"', `command = ${tomlString(command)}`, `timeout = ${timeoutFor(event)}`, "");
  }
  lines[lines.length - 1] = end(surface);
  return `${lines.join("\n")}\n`;
}

/** Where the surface's block is in `text` (start of its first line, end after its last line's newline), if it is there. */
function findBlock(text: string, surface: string): { start: number; end: number } | undefined {
  const first = text.indexOf(`${begin(surface)}\n`);
  if (first < 0 || (first > 0 && text[first - 1] !== "\n")) return undefined;
  const last = text.indexOf(`${end(surface)}\n`, first);
  if (last < 0) throw new SettingsShapeError(`the otto-tray block for ${surface} has its start but not its end line ("${end(surface)}")`);
  return { start: first, end: last + end(surface).length + 1 };
}

/** Parses `text` as TOML, or says why it cannot be used (the file is then left untouched). */
function checkToml(text: string, what: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SettingsShapeError(`${what} is not valid TOML (${(error as Error).message.split("\n")[0] ?? ""})`);
  }
}

export interface ConfigTextChange {
  text: string;
  changed: boolean;
}

/** `text` with the surface's block (re)written at the end; the person's TOML must parse before and after. */
export function installCodexHooks(text: string, surface: string, command: string, timeoutFor: (event: string) => number): ConfigTextChange {
  checkToml(text, "the file");
  const without = removeBlock(text, surface);
  const block = codexHooksBlock(surface, command, timeoutFor);
  // One newline before the block: a blank line after a file that ends with one, else the newline its last line lacked;
  // uninstall takes exactly that one out again.
  const joined = without === "" ? block : `${without}\n${block}`;
  // Already there, exactly: nothing to write.
  const current = findBlock(text, surface);
  if (current !== undefined && text.slice(current.start, current.end) === block) return { text, changed: false };
  const parsed = checkToml(joined, "the file with otto-tray's hooks added");
  if (!hasOurCommand(parsed, command)) throw new SettingsShapeError("the hooks added do not read back as Codex hooks (is `hooks` defined another way in the file?)");
  return { text: joined, changed: true };
}

/** `text` without the surface's block (exactly the lines added, and the blank line put before them). */
export function uninstallCodexHooks(text: string, surface: string): ConfigTextChange {
  const without = removeBlock(text, surface);
  if (without === text) return { text, changed: false };
  checkToml(without, "the file with otto-tray's hooks taken out");
  return { text: without, changed: true };
}

/** Whether the surface's block is in the file. */
export function hasCodexHooks(text: string, surface: string): boolean {
  return findBlock(text, surface) !== undefined;
}

function removeBlock(text: string, surface: string): string {
  const found = findBlock(text, surface);
  if (found === undefined) return text;
  // What install put before the block goes with it: the blank line, or the newline a file without a final one lacked.
  const start = found.start >= 1 && text[found.start - 1] === "\n" ? found.start - 1 : found.start;
  return text.slice(0, start) + text.slice(found.end);
}

function hasOurCommand(parsed: Record<string, unknown>, command: string): boolean {
  const hooks = parsed.hooks as Record<string, unknown> | undefined;
  if (hooks === undefined || typeof hooks !== "object") return false;
  return CODEX_EVENTS.every((event) => {
    const entries = hooks[event];
    return Array.isArray(entries) && entries.some((e) => Array.isArray((e as { hooks?: unknown }).hooks) && ((e as { hooks: { command?: unknown }[] }).hooks).some((h) => h.command === command));
  });
}
