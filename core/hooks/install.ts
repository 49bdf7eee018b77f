// Installs and uninstalls one surface's hook entries in a Claude Code settings file: read, change and write under a
// kernel lock, remembered in the state directory. Shared by `otto-tray hooks` and the app's "Install hooks".
import { chmodSync, realpathSync } from "node:fs";
import { describeError, OttoError, UsageError } from "../errors";
import { LockTimeoutError } from "../pool/errors";
import { withFileLock } from "../pool/locks";
import { forgetInstall, rememberInstall } from "./installed-record";
import { readSettings, refuseProtectedSettings, writeSettings } from "./settings-file";
import { buildHookCommand, type HooksChange, type HookTransport, installHooks, SettingsShapeError, uninstallHooks } from "./settings";
import { type PermissionModeAdvice, permissionModeAdvice } from "./status";
import { installWorktreeHooks, uninstallWorktreeHooks } from "./worktree-settings";

/** How long install/uninstall wait for another otto-tray editing the same settings file. */
export const SETTINGS_LOCK_TIMEOUT_MS = 30_000;

/** What an install or uninstall did to the settings file. */
export interface SurfaceHooksResult {
  /** The file written (symlinks resolved). */
  settingsFile: string;
  change: HooksChange;
  /** The copy of the previous content, when there was one and something changed. */
  backup: string | undefined;
}

export interface InstallSurfaceHooksOptions {
  settingsFile: string;
  surface: string;
  /** What runs otto-tray, as shell text (already quoted), e.g. `'/usr/bin/node' '/x/bin/otto-tray'`. */
  executable: string;
  /** Global options the handler gets (`--bus-dir DIR`, `--home DIR`, `--config FILE`), as words. */
  passOn?: readonly string[];
  /** Preferences' actuator.permissionWaitSeconds: the PermissionRequest entry's timeout sits above it. */
  waitSeconds: number;
  /** The state directory, where the install is remembered for `status`. */
  homeDir: string;
  /** How long to wait for another otto-tray editing the file (default SETTINGS_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
  /** Also serve `claude --worktree` from the pool (WorktreeCreate, WorktreeRemove, SessionEnd's keep). */
  worktrees?: boolean;
  /** Command hooks (the default), or HTTP hooks posting to the endpoint; SessionStart and the worktree hooks stay commands. */
  transport?: HookTransport;
}

/** An install: the change, the exact command line written, and Claude Code's permission-mode advice for the file. */
export interface SurfaceHooksInstall extends SurfaceHooksResult {
  command: string;
  permissionMode: PermissionModeAdvice;
}

/**
 * Merges the surface's handler into the settings file (created when missing; every other hook and key kept).
 * A file that is not JSON, not an object or whose hooks are not shaped like Claude Code's is left untouched and
 * reported as a UsageError; a file that cannot be read, locked or written is an OttoError.
 */
export async function installSurfaceHooks(options: InstallSurfaceHooksOptions): Promise<SurfaceHooksInstall> {
  const command = buildHookCommand(options.executable, options.surface, options.passOn);
  const edit = (value: Record<string, unknown>) => {
    const change = installHooks(value, options.surface, command, options.waitSeconds, options.transport);
    return options.worktrees === true ? installWorktreeHooks(change, options.surface, options.executable, options.passOn) : change;
  };
  // The endpoint's token is written into the file, so the file (and its backup) become private to the person.
  const result = await changeSettings(options.settingsFile, edit, "add its hooks", options.lockTimeoutMs, options.transport?.kind === "http");
  // Remembered so `otto-tray status` can warn when Claude Code's own auto mode hides dialogs from these hooks.
  rememberInstall(options.homeDir, options.surface, result.settingsFile);
  return { ...result, command, permissionMode: permissionModeAdvice(result.change.settings, result.settingsFile) };
}

/** Removes exactly the entries install added for the surface, and forgets the install. */
export async function uninstallSurfaceHooks(options: { settingsFile: string; surface: string; homeDir: string }): Promise<SurfaceHooksResult> {
  const result = await changeSettings(options.settingsFile, (value) => uninstallWorktreeHooks(uninstallHooks(value, options.surface), options.surface), "remove its hooks");
  forgetInstall(options.homeDir, options.surface);
  return result;
}

/**
 * Read, change and write under one kernel lock: two installs at once (one per surface) must both land. A change to a
 * read-only file or through a dangling link is refused (UsageError) before anything is written; `purpose` says what
 * the change was for.
 */
export async function changeSettings(settingsFile: string, edit: (value: Record<string, unknown>) => HooksChange, purpose: string, lockTimeoutMs?: number, makePrivate = false): Promise<SurfaceHooksResult> {
  const readChangeWrite = () => {
    const document = readSettings(settingsFile);
    // Others could read the token already there (someone opened the file up since): closed even when nothing else changes.
    const exposed = makePrivate && document.exists && (document.mode & 0o077) !== 0;
    if (makePrivate) document.mode &= 0o7700;
    let change: HooksChange;
    try {
      change = edit(document.value);
    } catch (error) {
      if (error instanceof SettingsShapeError) throw new UsageError(`${settingsFile}: ${error.message}; left untouched`, "fix the hooks section by hand");
      throw error;
    }
    if (change.changed) refuseProtectedSettings(document, settingsFile, purpose);
    const backup = change.changed ? writeSettings(document, change.settings) : undefined;
    if (exposed && !change.changed) makeFilePrivate(document.path, document.mode);
    return { settingsFile: document.path, change, backup };
  };
  return withSettingsLock(settingsFile, readChangeWrite, lockTimeoutMs);
}

/** Takes the group's and others' bits off a settings file left as it was (it holds the hook endpoint's token). */
function makeFilePrivate(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (error) {
    throw new OttoError(`cannot make ${file} private (it holds the hook endpoint's token): ${describeError(error)}`, { cause: error, hint: `chmod 600 ${file}` });
  }
}

/**
 * Runs `fn` holding `<settings file>.otto-tray.lock` (beside the real file when it is a link). A lock held by another
 * process for `timeoutMs`, or one that cannot be made, leaves the file untouched with an OttoError.
 */
export async function withSettingsLock<T>(settingsFile: string, fn: () => T, timeoutMs = SETTINGS_LOCK_TIMEOUT_MS): Promise<T> {
  let real = settingsFile;
  try {
    real = realpathSync(settingsFile);
  } catch {
    // Not there yet: it is created at the given path, so that is what to lock beside.
  }
  const lockFile = `${real}.otto-tray.lock`;
  let locked = false;
  try {
    return await withFileLock(
      lockFile,
      async () => {
        locked = true;
        return fn();
      },
      { timeoutMs },
    );
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      throw new OttoError(`another otto-tray has held ${lockFile} for ${timeoutMs / 1000}s; ${settingsFile} left untouched`, {
        hint: "wait for the other `hooks install` to finish (the lock is freed when its process exits) and run this again",
      });
    }
    if (locked || error instanceof OttoError) throw error;
    throw new OttoError(`cannot write ${settingsFile}: cannot lock it (${describeError(error)})`, { cause: error, hint: `the lock file ${lockFile} must be creatable beside it` });
  }
}
