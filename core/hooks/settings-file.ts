// Reads and writes Claude Code's settings.json for the installer: strict parse, atomic write with the same mode, a backup beside it.
import { lstatSync, readlinkSync, realpathSync, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describeError, OttoError, UsageError } from "../errors";
import { readRegularFile } from "../fs/regular-file";
import { userHome } from "../fs/user-home";
import { writeFileAtomic } from "../fs/atomic-write";

/** Suffix of the copy of the previous content written before each change. */
export const BACKUP_SUFFIX = ".otto-tray.bak";

/** A settings file as read: where it really lives, what it held, and how it was formatted. */
export interface SettingsDocument {
  /** The file written to: symlinks resolved, so a dotfiles link keeps pointing at the real file. */
  path: string;
  exists: boolean;
  text: string;
  value: Record<string, unknown>;
  /** Permission bits to keep; new files get 0600 (settings can hold tokens in `env`). */
  mode: number;
  /** The mode bits deny us writing the file (a person made it read-only): it is not replaced. */
  readOnly: boolean;
  /** A symlink at the given path whose target does not exist: the link's target, which is not created. */
  danglingLinkTo?: string;
  indent: string;
  finalNewline: boolean;
}

function detectIndent(text: string): string {
  const match = /^[{[][ \t]*\r?\n([ \t]+)\S/.exec(text);
  return match?.[1] ?? "  ";
}

/** The most a settings file may hold: Claude Code's are a few KiB; a bigger one is refused, not read. */
export const SETTINGS_MAX_BYTES = 1024 * 1024;

export type SettingsText = { kind: "missing"; path: string } | { kind: "ok"; path: string; text: string; stat: Stats } | { kind: "problem"; path: string; reason: string };

/**
 * A settings file's text, at most {@link SETTINGS_MAX_BYTES}, from where it really lives (a dotfiles symlink is
 * resolved first); a FIFO or device put there is refused at once instead of read (or waited on) for ever.
 */
export function readSettingsText(file: string): SettingsText {
  let path = file;
  try {
    path = realpathSync(file);
  } catch (error) {
    // Missing (or a link to nothing): it will be created at the given path.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing", path };
  }
  const read = readRegularFile(path, SETTINGS_MAX_BYTES, undefined);
  if (read.ok) return { kind: "ok", path, text: read.text, stat: read.stat };
  return read.missing ? { kind: "missing", path } : { kind: "problem", path, reason: `${file} ${read.reason}` };
}

/** A settings file of any format as read: where it lives, its text, mode, and whether a person protected it. */
export type SettingsFileText = Omit<SettingsDocument, "value" | "indent" | "finalNewline">;

/**
 * Reads any settings file's text for an edit (Codex's TOML as well as JSON): missing reads as empty; a FIFO, a device or
 * a file too big is a UsageError naming `format` (the file is left untouched).
 */
export function readSettingsFileText(file: string, format: string): SettingsFileText {
  const read = readSettingsText(file);
  const { path } = read;
  if (read.kind === "missing") {
    const danglingLinkTo = danglingLinkTarget(file);
    return { path, exists: false, text: "", mode: 0o600, readOnly: false, ...(danglingLinkTo === undefined ? {} : { danglingLinkTo }) };
  }
  // A FIFO or a device would block the read or is not a settings file at all; one too big is not read.
  if (read.kind === "problem") throw new UsageError(`cannot read ${read.reason}; left untouched`, `the settings file must be a regular file of ${format}`);
  return { path, exists: true, text: read.text, mode: read.stat.mode & 0o7777, readOnly: !modeAllowsWrite(read.stat) };
}

/** Reads and parses a settings file; a missing file reads as `{}`. Invalid JSON or a non-object is a UsageError (exit 2). */
export function readSettings(file: string): SettingsDocument {
  const read = readSettingsFileText(file, "JSON");
  if (!read.exists) return { ...read, value: {}, indent: "  ", finalNewline: true };
  const { text } = read;
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON (${describeError(error)}); left untouched`, "fix the file (or move it aside) and run the command again");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${file} does not hold a JSON object; left untouched`, "Claude Code settings are a JSON object such as {\"hooks\": {}}");
  }
  return { ...read, value: value as Record<string, unknown>, indent: detectIndent(text), finalNewline: text === "" || text.endsWith("\n") };
}

/** Where a symlink at `file` points when that target does not exist (undefined: no link there). */
function danglingLinkTarget(file: string): string | undefined {
  try {
    if (!lstatSync(file).isSymbolicLink()) return undefined;
    return resolve(dirname(file), readlinkSync(file));
  } catch {
    return undefined;
  }
}

/**
 * Whether the mode bits give us write access: the owner's bit for the owner (and for root, whom the kernel
 * would let write anyway: a file its owner made read-only is a person's decision), else the group's or others'.
 */
function modeAllowsWrite(stat: Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || uid === stat.uid) return (stat.mode & 0o200) !== 0;
  const groups = [process.getgid?.(), ...(process.getgroups?.() ?? [])];
  if (groups.includes(stat.gid)) return (stat.mode & 0o020) !== 0;
  return (stat.mode & 0o002) !== 0;
}

/**
 * Refuses, before anything is written, to change a settings file a person protected: one whose mode bits say
 * read-only (its link, if any, kept), or a symlink whose target does not exist (the link is not replaced by a file,
 * and the target is not made here). `purpose` ends the advice: "add its hooks", "remove its hooks".
 */
export function refuseProtectedSettings(document: SettingsFileText, file: string, purpose: string): void {
  if (document.danglingLinkTo !== undefined) {
    const target = document.danglingLinkTo;
    throw new UsageError(`${file} is a symbolic link to ${target}, which does not exist; left untouched; create ${target} (it may hold just {}) or remove the link, then run this again`);
  }
  if (document.readOnly) {
    const mode = (document.mode & 0o777).toString(8).padStart(4, "0");
    throw new UsageError(`${document.path} is read-only (mode ${mode}), left untouched; make it writable (chmod u+w ${document.path}) to let otto-tray ${purpose}`);
  }
}

/**
 * Replaces the document's content with `value`, formatted like the original. The previous content is
 * first copied to `<file>.otto-tray.bak` (when there was a file), so a bad merge can be undone by hand.
 * Returns the backup's path, if one was written.
 */
export function writeSettings(document: SettingsDocument, value: Record<string, unknown>): string | undefined {
  return writeSettingsText(document, JSON.stringify(value, null, document.indent) + (document.finalNewline ? "\n" : ""));
}

/** Replaces a settings file's text (any format), the previous content first copied to `<file>.otto-tray.bak`. */
export function writeSettingsText(document: SettingsFileText, text: string): string | undefined {
  let backup: string | undefined;
  try {
    if (document.exists) {
      backup = `${document.path}${BACKUP_SUFFIX}`;
      writeFileAtomic(backup, document.text, { mode: document.mode, durable: true });
    }
    writeFileAtomic(document.path, text, { mode: document.mode, durable: true });
  } catch (error) {
    throw new OttoError(`cannot write ${document.path}: ${describeError(error)}`, { cause: error });
  }
  return backup;
}

/** The default settings file: Claude Code's config directory (`$CLAUDE_CONFIG_DIR`, else ~/.claude). */
export function defaultSettingsFile(env: NodeJS.ProcessEnv): string {
  if (env.CLAUDE_CONFIG_DIR) return join(env.CLAUDE_CONFIG_DIR, "settings.json");
  return join(userHome(env), ".claude", "settings.json");
}
