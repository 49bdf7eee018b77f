// `pool init`, `status`, `refresh`, `prune`, `doctor`: JSON with --json, short readable text otherwise.
import { doctor, init, prune, refresh, status } from "../../../core/pool/index";
import { noPositionals, parseIntOption, parseSecondsOption, requireOption } from "../../args";
import { ExitCode, UsageError } from "../../../core/errors";
import type { CliIO } from "../../context";
import { formatAge, formatTable, writeJson } from "../../output";
import { parsePoolArgs, poolDefaults, reportRescues, samePoolOptions } from "./options";

/** `otto-tray pool init`: one identity, or (without --identity) every identity the preferences list, at their pool size. */
export async function runInit(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { size: { type: "string" }, base: { type: "string" } });
  if (values.help) return help(io, "init [--repo DIR] (--identity ID | identities from preferences) [--size N] [--base REF] [--json]");
  noPositionals(positionals, "pool init");
  const defaults = await poolDefaults(values, io);
  const size = parseIntOption(values.size, "size", 1, 8);
  // Without --identity the preferences say which pools to keep, and at what size (growing or shrinking them).
  const fromPrefs = values.identity === undefined;
  const identities = fromPrefs ? defaults.identities : [values.identity as string];
  if (identities.length === 0) {
    throw new UsageError("--identity is required", "pass --identity ID, or list identities in the preferences (identities: [...])");
  }
  const results = [];
  for (const identity of identities) {
    const result = await init({ ...defaults, identity, size: size ?? (fromPrefs ? defaults.defaultSize : undefined), base: values.base });
    reportRescues(io, result.rescued);
    results.push(result);
    if (values.json) continue;
    io.stdout.write(`pool of ${result.identity}: ${result.size} sidetick(s) at ${result.base} under ${result.poolRoot}\n`);
    for (const p of result.created) io.stdout.write(`  created  ${p}\n`);
    for (const p of result.repaired) io.stdout.write(`  repaired ${p}\n`);
    for (const p of result.removed) io.stdout.write(`  removed  ${p}\n`);
    for (const k of result.kept) io.stdout.write(`  kept     ${k.path} (${k.reason})\n`);
  }
  if (values.json) writeJson(io.stdout, fromPrefs ? results : results[0]);
  return 0;
}

/** `otto-tray pool status`. */
export async function runStatus(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, {});
  if (values.help) return help(io, "status [--repo DIR] [--identity ID] [--json]");
  noPositionals(positionals, "pool status");
  const result = await status({ ...(await poolDefaults(values, io)), identity: values.identity });
  if (values.json) {
    writeJson(io.stdout, result);
    return 0;
  }
  io.stdout.write(`repo ${result.repo}\npool ${result.poolRoot}\n`);
  if (result.identities.length === 0) io.stdout.write("no pools yet (otto-tray pool init --identity ID)\n");
  const now = Date.now();
  for (const identity of result.identities) {
    io.stdout.write(`\n${identity.identity} (size ${identity.size})\n`);
    const rows = identity.sideticks.map((s) => [
      s.path.split("/").pop() ?? s.path,
      s.state,
      s.holderPid === null ? "-" : String(s.holderPid),
      s.since === null ? "-" : formatAge(now - Date.parse(s.since)),
      s.branch ?? "(detached)",
      s.head?.slice(0, 10) ?? "-",
      s.behind === null ? "-" : String(s.behind),
      s.leaseId ?? "-",
    ]);
    io.stdout.write(formatTable(["SIDETICK", "STATE", "HOLDER", "HELD", "BRANCH", "HEAD", "BEHIND", "LEASE"], rows));
    for (const s of identity.sideticks) if (s.note !== null) io.stdout.write(`  ${s.path.split("/").pop() ?? s.path}: ${s.note}\n`);
  }
  for (const o of result.otherRepositories) io.stdout.write(`\nleft alone: ${o.dir} is the pool of ${o.identity} for the repository ${o.repo}\n`);
  return 0;
}

/** `otto-tray pool refresh`. */
export async function runRefresh(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { base: { type: "string" } });
  if (values.help) return help(io, "refresh [--repo DIR] --identity ID [--base REF] [--json]");
  noPositionals(positionals, "pool refresh");
  const result = await refresh({ ...(await poolDefaults(values, io)), identity: requireOption(values.identity, "identity", "ID"), base: values.base });
  reportRescues(io, result.rescued);
  if (result.fetchError !== null) io.stderr.write(`otto-tray pool refresh: fetch failed, keeping the last fetched ${result.base}: ${result.fetchError}\n`);
  if (values.json) writeJson(io.stdout, result);
  else io.stdout.write(`${result.refreshed.length} free sidetick(s) at ${result.base} ${result.commit.slice(0, 12)}; ${result.skipped.length} leased left alone\n`);
  return 0;
}

/** `otto-tray pool prune`. */
export async function runPrune(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { "dry-run": { type: "boolean" }, "min-age": { type: "string" }, "include-ignored": { type: "boolean" } });
  if (values.help) return help(io, "prune [--repo DIR] [--dry-run] [--min-age SECONDS (default 86400)] [--include-ignored] [--json]");
  noPositionals(positionals, "pool prune");
  const result = await prune({
    ...(await poolDefaults(values, io)),
    dryRun: values["dry-run"] ?? false,
    minAgeSeconds: parseSecondsOption(values["min-age"], "min-age"),
    includeIgnored: values["include-ignored"] ?? false,
  });
  if (values.json) writeJson(io.stdout, result);
  else {
    const verb = result.dryRun ? "would remove" : "removed";
    for (const r of result.removed) io.stdout.write(`${verb} ${r.path} (${r.reason})\n`);
    for (const k of result.kept) io.stdout.write(`kept ${k.path} (${k.reason})\n`);
  }
  return 0;
}

/** `otto-tray pool doctor`. */
export async function runDoctor(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsePoolArgs(argv, { fix: { type: "boolean" }, force: { type: "boolean" } });
  if (values.help) return help(io, "doctor [--repo DIR] [--identity ID] [--fix [--force]] [--json]");
  noPositionals(positionals, "pool doctor");
  if (values.force && !values.fix) throw new UsageError("--force only goes with --fix", "pass --fix --force to repair what needs it");
  const result = await doctor({ ...(await poolDefaults(values, io)), identity: values.identity, fix: values.fix ?? false, force: values.force ?? false });
  for (const p of result.problems) reportRescues(io, p.rescued);
  if (values.json) writeJson(io.stdout, result);
  else {
    if (result.problems.length === 0) io.stdout.write("pool is healthy\n");
    for (const identity of result.notCreated) io.stdout.write(`${identity}: no pool yet (otto-tray pool init --identity ${identity}${samePoolOptions(values)} creates it)\n`);
    for (const p of result.problems) io.stdout.write(`${p.fixed ? "fixed" : p.refused ? "refused" : "found"} ${p.problem}: ${p.path ?? ""} ${p.detail}\n`);
  }
  // 0 healthy; 5 a repair was refused to protect work (needs --force); 6 problems found and left.
  if (result.healthy) return ExitCode.ok;
  return result.problems.some((p) => p.refused) ? ExitCode.refused : ExitCode.problemsLeft;
}

function help(io: CliIO, line: string): number {
  io.stdout.write(`usage: otto-tray pool ${line}\n`);
  return 0;
}
