// Reads and writes Claude Code's settings.json for the installer: strict parse, atomic write with the same mode, a backup beside it.
import { readFileSync, realpathSync, statSync } from "node:fs";
import { describeError, OttoError, UsageError } from "../errors";
import { join } from "node:path";
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
  indent: string;
  finalNewline: boolean;
}

function detectIndent(text: string): string {
  const match = /^[{[][ \t]*\r?\n([ \t]+)\S/.exec(text);
  return match?.[1] ?? "  ";
}

/** Reads and parses a settings file; a missing file reads as `{}`. Invalid JSON or a non-object is a UsageError (exit 2). */
export function readSettings(file: string): SettingsDocument {
  let path = file;
  try {
    path = realpathSync(file);
  } catch {
    // Missing: it will be created at the given path.
  }
  let text: string;
  let mode = 0o600;
  try {
    text = readFileSync(path, "utf8");
    mode = statSync(path).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { path, exists: false, text: "", value: {}, mode, indent: "  ", finalNewline: true };
    }
    throw new OttoError(`cannot read ${file}: ${describeError(error)}`, { cause: error });
  }
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
  return { path, exists: true, text, value: value as Record<string, unknown>, mode, indent: detectIndent(text), finalNewline: text === "" || text.endsWith("\n") };
}

/**
 * Replaces the document's content with `value`, formatted like the original. The previous content is
 * first copied to `<file>.otto-tray.bak` (when there was a file), so a bad merge can be undone by hand.
 * Returns the backup's path, if one was written.
 */
export function writeSettings(document: SettingsDocument, value: Record<string, unknown>): string | undefined {
  let backup: string | undefined;
  try {
    if (document.exists) {
      backup = `${document.path}${BACKUP_SUFFIX}`;
      writeFileAtomic(backup, document.text, { mode: document.mode, durable: true });
    }
    const text = JSON.stringify(value, null, document.indent) + (document.finalNewline ? "\n" : "");
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
