// The HTTP hook endpoint's own token, in the state directory (0600): good only for POST /hook, never for the dashboard.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentUid, readRegularFile } from "../../fs/regular-file";

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export function hookTokenFile(homeDir: string): string {
  return join(homeDir, "hook-token");
}

export type HookTokenRead = { ok: true; token: string } | { ok: false; missing: boolean; reason: string };

/** Reads the token: a regular file of ours, private (no group or other bits), holding 64 hex digits; anything else is refused. */
export function readHookToken(homeDir: string): HookTokenRead {
  const file = hookTokenFile(homeDir);
  const read = readRegularFile(file, 1024, currentUid());
  if (!read.ok) return { ok: false, missing: read.missing, reason: `${file} ${read.reason}` };
  if ((read.stat.mode & 0o077) !== 0) return { ok: false, missing: false, reason: `${file} can be read by others (mode ${(read.stat.mode & 0o777).toString(8)}); remove it and run hooks install again` };
  const token = read.text.trim();
  if (!TOKEN_PATTERN.test(token)) return { ok: false, missing: false, reason: `${file} does not hold a token; remove it and run hooks install again` };
  return { ok: true, token };
}

/** The token, made (0600, in a 0700 state directory) when there is none yet; a file that is there but unusable is an error. */
export function ensureHookToken(homeDir: string): string {
  const read = readHookToken(homeDir);
  if (read.ok) return read.token;
  if (!read.missing) throw new Error(read.reason);
  mkdirSync(homeDir, { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: two processes making it at once agree on the one that landed first.
  const file = hookTokenFile(homeDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  const made = readHookToken(homeDir);
  if (!made.ok) throw new Error(made.reason);
  return made.token;
}

/** Compares a presented token with the real one in constant time. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
