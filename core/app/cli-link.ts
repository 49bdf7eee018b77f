// The stable path installed hooks run (`…/bin/otto-tray`) and the symlink from it to the CLI inside the current app bundle.
import { randomBytes } from "node:crypto";
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { describeError } from "../errors";
import { ensureDirSync } from "../fs/ensure-dir";

/** The manifest the staged CLI (scripts/stage-cli.mjs) carries beside bin/: it marks the copy shipped inside the app. */
export const SHIPPED_CLI_MANIFEST = "otto-tray-cli.json";

/**
 * Where hooks find `otto-tray` whatever the app's location: macOS `~/Library/Application Support/Otto Tray/bin/otto-tray`,
 * elsewhere `$XDG_DATA_HOME/otto-tray/bin/otto-tray` (default `~/.local/share/otto-tray/bin/otto-tray`).
 * `home` is the user's home directory, passed in so tests (and `--home`-style callers) can use a temporary one.
 */
export function stableCliPath(home: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === "darwin") return join(home, "Library", "Application Support", "Otto Tray", "bin", "otto-tray");
  // The XDG spec ignores a relative value; so do we.
  const dataHome = env.XDG_DATA_HOME !== undefined && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(home, ".local", "share");
  return join(dataHome, "otto-tray", "bin", "otto-tray");
}

/** What {@link ensureStableCli} did; problems are values, never thrown. */
export type StableCliResult =
  | { status: "created" | "unchanged"; stableLink: string; target: string; message: string }
  | { status: "repointed"; stableLink: string; target: string; previous: string; message: string }
  | { status: "refused" | "failed"; stableLink: string; target: string; message: string; hint: string };

export interface EnsureStableCliOptions {
  /** The stable path (see {@link stableCliPath}). */
  stableLink: string;
  /** The CLI inside the running app, e.g. `<process.resourcesPath>/cli/bin/otto-tray`; absolute. */
  target: string;
}

/**
 * Makes `stableLink` a symlink to `target`: creates it, leaves it when it already points there, or re-points it
 * (the app was moved or updated). The new link is made under a temporary name beside it and renamed over the old
 * one, so a hook starting meanwhile finds the old link or the new one, never none. A stable path that is not a
 * symlink (a file or directory someone put there) is not ours: it is left alone and reported as refused.
 */
export function ensureStableCli({ stableLink, target }: EnsureStableCliOptions): StableCliResult {
  const base = { stableLink, target };
  if (!isAbsolute(target) || !isAbsolute(stableLink)) {
    return { ...base, status: "failed", message: `cannot link ${stableLink} to ${target}: both paths must be absolute`, hint: "pass absolute paths" };
  }
  const missing = unusableTarget(target);
  if (missing !== undefined) {
    return { ...base, status: "failed", message: `cannot link ${stableLink}: the CLI ${target} ${missing}; the link was left as it was`, hint: "reinstall the app (its Resources/cli is incomplete)" };
  }
  let previous: string | undefined;
  try {
    const stat = lstatSync(stableLink);
    if (!stat.isSymbolicLink()) {
      const kind = stat.isDirectory() ? "a directory" : stat.isFile() ? "a regular file" : "not a symlink";
      return {
        ...base,
        status: "refused",
        message: `${stableLink} is ${kind}, not Otto Tray's link; left untouched, so hooks using it do not run this app's CLI`,
        hint: `move it away and restart the app, or install hooks with --command ${target}`,
      };
    }
    previous = readlinkSync(stableLink);
    if (previous === target) return { ...base, status: "unchanged", message: `${stableLink} already points at ${target}` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return { ...base, status: "failed", message: `cannot read ${stableLink}: ${describeError(error)}`, hint: "check the permissions of its directory" };
    }
  }
  const temp = join(dirname(stableLink), `.${basename(stableLink)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    ensureDirSync(dirname(stableLink));
    symlinkSync(target, temp);
    renameSync(temp, stableLink);
  } catch (error) {
    rmSync(temp, { force: true });
    return { ...base, status: "failed", message: `cannot link ${stableLink} to ${target}: ${describeError(error)}`, hint: `check that ${dirname(stableLink)} is writable` };
  }
  if (previous === undefined) return { ...base, status: "created", message: `linked ${stableLink} to ${target}` };
  return { ...base, status: "repointed", previous, message: `re-pointed ${stableLink} from ${previous} to ${target}` };
}

/** Why `target` cannot serve as the CLI (missing, not a file, not executable), or undefined when it can. */
function unusableTarget(target: string): string | undefined {
  try {
    if (!statSync(target).isFile()) return "is not a file";
    accessSync(target, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not executable" : `cannot be read (${describeError(error)})`;
  }
}

/** True when `stableLink` resolves to the same file as `target` (the link is current for this install). */
export function stableCliPointsAt(stableLink: string, target: string): boolean {
  try {
    return realpathSync(stableLink) === realpathSync(target);
  } catch {
    return false;
  }
}
