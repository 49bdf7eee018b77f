// `pool allocate`, `pool release`, `pool renew`: print the path (or JSON) and say where rescued work went.
import { allocate, LEASE_HINT, release, renew } from "../../../core/pool/index";
import { UsageError } from "../../../core/errors";
import { noPositionals, parseIntOption, parseSecondsOption, requireOption } from "../../args";
import type { CliIO } from "../../context";
import { writeJson } from "../../output";
import { leftBehind, parsePoolArgs, poolDefaults, reportRescues, reportSwept, samePoolOptions } from "./options";

/** `otto-tray pool allocate`. */
export async function runAllocate(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, {
    branch: { type: "string" },
    "holder-pid": { type: "string" },
    ttl: { type: "string" },
    wait: { type: "string" },
    base: { type: "string" },
  });
  if (values.help) return help(io, "allocate [--repo DIR] --identity ID [--branch NAME] [--holder-pid PID] [--ttl SECONDS] [--wait SECONDS] [--base REF] [--json]");
  noPositionals(positionals, "pool allocate");
  const allocation = await allocate({
    ...(await poolDefaults(values, io)),
    identity: requireOption(values.identity, "identity", "ID"),
    base: values.base,
    branch: values.branch,
    holderPid: parseIntOption(values["holder-pid"], "holder-pid", 1, 2 ** 31 - 1),
    ttlSeconds: positive(parseSecondsOption(values.ttl, "ttl"), "ttl"),
    waitSeconds: parseSecondsOption(values.wait, "wait"),
  });
  reportRescues(io, allocation.rescued);
  reportSwept(io, allocation.swept);
  if (values.json) writeJson(io.stdout, allocation);
  else {
    // stdout stays the path alone (scripts `cd "$(otto-tray pool allocate ...)"`); the lease goes to stderr.
    io.stdout.write(`${allocation.path}\n`);
    io.stderr.write(`lease: ${allocation.leaseId}\n`);
    if (allocation.expiresAt !== null) {
      const renewLine = `otto-tray pool renew --identity ${allocation.identity} --lease ${allocation.leaseId}${samePoolOptions(values)}`;
      io.stderr.write(`expires: ${allocation.expiresAt} (renew: ${renewLine})\n`);
    }
  }
  return 0;
}

/** `otto-tray pool release`. */
export async function runRelease(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { path: { type: "string" }, lease: { type: "string" } });
  if (values.help) return help(io, "release [--repo DIR] --identity ID --lease ID [--path DIR] [--json]   (--lease defaults to $OTTO_POOL_LEASE)");
  noPositionals(positionals, "pool release");
  // Release names the lease it gives back: a path alone would free whoever holds the sidetick now.
  const leaseId = values.lease ?? (io.env.OTTO_POOL_LEASE || undefined);
  if (leaseId === undefined) {
    throw new UsageError(`pool release needs the lease it gives back${values.path !== undefined ? " (--path alone could free another holder's lease)" : ""}`, LEASE_HINT);
  }
  const result = await release({ ...(await poolDefaults(values, io)), identity: requireOption(values.identity, "identity", "ID"), path: values.path, leaseId });
  if (result.note !== null) io.stderr.write(`otto-tray pool release: ${result.note}\n`);
  if (result.unsaved !== null) io.stderr.write(`otto-tray pool release: ${leftBehind(result, values)}\n`);
  if (values.json) writeJson(io.stdout, result);
  else io.stdout.write(`released ${result.path}\n`);
  return 0;
}

/** `otto-tray pool renew`. */
export async function runRenew(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { lease: { type: "string" }, ttl: { type: "string" } });
  if (values.help) return help(io, "renew [--repo DIR] --identity ID --lease ID [--ttl SECONDS] [--json]");
  noPositionals(positionals, "pool renew");
  const result = await renew({
    ...(await poolDefaults(values, io)),
    identity: requireOption(values.identity, "identity", "ID"),
    leaseId: requireOption(values.lease, "lease", "ID"),
    ttlSeconds: positive(parseSecondsOption(values.ttl, "ttl"), "ttl"),
  });
  if (values.json) writeJson(io.stdout, result);
  else io.stdout.write(`renewed ${result.leaseId} until ${result.expiresAt ?? "released"}\n`);
  return 0;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && value <= 0) throw new UsageError(`--${name} must be more than 0 seconds`);
  return value;
}

function help(io: CliIO, line: string): number {
  io.stdout.write(`usage: otto-tray pool ${line}\n`);
  return 0;
}
