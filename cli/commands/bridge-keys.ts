// `otto-tray bridge keys`: one nkey user per machine and an admin, each seed written to a 0600 file of its own, and the
// nats-server authorization block (public keys and permissions only) printed for the hub's config.
import { closeSync, constants, lstatSync, openSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_PERMISSIONS, ADMIN_USER, authorizationBlock, machinePermissions, newNkeyUser } from "../../core/bridge/authorization";
import { ExitCode, OttoError, UsageError } from "../../core/errors";
import { ensureDirSync } from "../../core/fs/ensure-dir";
import { parseSurfaceId } from "../../core/ids";
import { noPositionals, parseCommandArgs, requireOption } from "../args";
import type { CliIO } from "../context";

const USAGE = `usage: otto-tray bridge keys --hosts NAME,NAME[,…] --out DIR [--force]
  Makes one nkey user per machine (named as its bridge's --host) and one admin user, writes each seed to
  DIR/<name>.seed (mode 0600; DIR made 0700) and prints the authorization block for nats-server's config: public
  keys only. Each machine may write only its own keys (<host>.<surface>), the quorum's lease and memory and the
  escalations, and read the others'; creating, purging or deleting buckets and streams is the admin's
  (otto-tray bridge setup --creds DIR/admin.seed).
  --force  replace seeds that exist (their users stop working once the hub has the new block)
`;

/** A host list as given: each a surface-style id, none twice, none the admin's name. */
export function parseHosts(value: string): string[] {
  const hosts = value.split(",").map((h) => h.trim());
  const seen = new Set<string>();
  for (const host of hosts) {
    parseSurfaceId(host, "--hosts");
    if (host === ADMIN_USER) throw new UsageError(`--hosts: "${ADMIN_USER}" is the admin's name`, "name the machine otherwise (e.g. admin-mac)");
    if (seen.has(host)) throw new UsageError(`--hosts: ${host} is named twice`, "name each machine once");
    seen.add(host);
  }
  return hosts;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Writes a seed to a new file of mode 0600 (never through a symlink, never over a file unless `force`). */
function writeSeed(path: string, seed: string, force: boolean): void {
  if (force && exists(path)) unlinkSync(path);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${seed}\n`);
  } finally {
    closeSync(fd);
  }
}

export async function runKeys(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { hosts: { type: "string" }, out: { type: "string" }, force: { type: "boolean" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  noPositionals(positionals, "bridge keys");
  const hosts = parseHosts(requireOption(values.hosts, "hosts", "mac-a,mac-b"));
  const out = requireOption(values.out, "out", "DIR");
  const force = values.force === true;
  ensureDirSync(out, 0o700);
  if (!lstatSync(out).isDirectory()) throw new UsageError(`--out: ${out} is not a directory`, "pass a directory for the seeds");
  const names = [...hosts, ADMIN_USER];
  // All checked before any is written: a refusal leaves the directory as it was.
  const taken = force ? [] : names.map((n) => join(out, `${n}.seed`)).filter(exists);
  if (taken.length > 0) {
    throw new OttoError(`${taken.join(", ")} already exist${taken.length === 1 ? "s" : ""}: not overwritten (their users may be in the hub's config)`, {
      exitCode: ExitCode.refused,
      hint: "pass --force to replace them, or another --out",
    });
  }
  const users = [...hosts.map((h) => newNkeyUser(h, machinePermissions(h))), newNkeyUser(ADMIN_USER, ADMIN_PERMISSIONS)];
  for (const user of users) writeSeed(join(out, `${user.name}.seed`), user.seed, force);
  io.stdout.write(`# otto-tray bridge keys: users ${names.join(", ")}; their seeds are in ${out} (never in this block)\n${authorizationBlock(users)}`);
  io.stderr.write(`wrote ${users.length} seeds to ${out} (mode 0600): give each machine its own, e.g. otto-tray bridge --host ${hosts[0]} --creds ${join(out, `${hosts[0]}.seed`)}\n`);
  return ExitCode.ok;
}
