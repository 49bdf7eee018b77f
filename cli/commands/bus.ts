// `otto-tray bus list|clean`: lists envelopes (optionally by topic) and removes expired ones.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BusReader, type EnvelopeMeta } from "../../core/bus/reader";
import { checkBusTrust } from "../../core/bus/trust";
import { OttoError, UsageError } from "../../core/errors";
import { parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { formatTable, writeJson } from "../output";
import { unknownNameHint } from "../suggest";

/** The subcommands, for the dispatcher's error prefix. */
export const subcommands = ["list", "clean"] as const;

const USAGE = `usage: otto-tray bus list [--topic T] [--json]
       otto-tray bus clean --expired [--dry-run] [--json]
  list   valid envelopes, oldest first (rejected files are counted on stderr)
  clean  removes envelopes whose expiresAt has passed, except each sender's latest heartbeat
         (it is what tells a hung or idle surface from a gone one); never touches other files
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    topic: { type: "string" },
    json: { type: "boolean" },
    expired: { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  const sub = positionals[0];
  if (values.help || sub === undefined) {
    (sub === undefined && !values.help ? io.stderr : io.stdout).write(USAGE);
    return sub === undefined && !values.help ? 2 : 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const busDir = await context.busDir();
  const reader = new BusReader(busDir, { keepPayloads: sub === "list" });
  reader.scan();

  if (sub === "list") {
    const topic = values.topic;
    const envelopes = reader
      .envelopes()
      .filter((e) => topic === undefined || e.topic === topic)
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    if (values.json) writeJson(io.stdout, envelopes);
    else {
      const rows = envelopes.map((e) => [e.timestamp, e.topic, e.from, e.to, summarize(e.payload)]);
      io.stdout.write(formatTable(["TIMESTAMP", "TOPIC", "FROM", "TO", "PAYLOAD"], rows));
      const rejected = reader.counts().rejected;
      if (rejected > 0) io.stderr.write(`${rejected} file(s) rejected as malformed or untrusted\n`);
    }
    return 0;
  }

  if (sub === "clean") {
    if (!values.expired) throw new UsageError("--expired is required", "otto-tray bus clean --expired removes envelopes past their expiresAt");
    const trust = checkBusTrust(busDir);
    if (!trust.trusted) throw new OttoError(`refusing to delete in an untrusted bus: ${trust.reason ?? ""}`);
    const now = Date.now();
    const all = reader.envelopeFiles();
    const latest = latestHeartbeatFiles(all);
    const expired = all.filter(({ file, envelope }) => Date.parse(envelope.expiresAt) < now && !latest.has(file));
    const kept = all.filter(({ file, envelope }) => Date.parse(envelope.expiresAt) < now && latest.has(file)).map((e) => e.file);
    if (!values["dry-run"]) for (const { file } of expired) rmSync(join(busDir, file), { force: true });
    const files = expired.map((e) => e.file);
    if (values.json) writeJson(io.stdout, { removed: values["dry-run"] ? 0 : files.length, expired: files, keptLatestHeartbeats: kept, dryRun: values["dry-run"] === true });
    else {
      const keptNote = kept.length > 0 ? `; kept ${kept.length} expired latest heartbeat(s), one per sender` : "";
      io.stdout.write(`${values["dry-run"] ? "would remove" : "removed"} ${files.length} expired envelope(s) from ${busDir}${keptNote}\n`);
    }
    return 0;
  }
  throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`, unknownNameHint(sub, subcommands, "otto-tray bus --help"));
}

/** Each sender's newest heartbeat file: the evidence a surface's state rests on once it stops beating. */
function latestHeartbeatFiles(files: readonly { file: string; envelope: EnvelopeMeta }[]): Set<string> {
  const newest = new Map<string, { file: string; at: number }>();
  for (const { file, envelope } of files) {
    if (envelope.topic !== "heartbeat") continue;
    const at = Date.parse(envelope.timestamp);
    const best = newest.get(envelope.from);
    if (best === undefined || at > best.at || (at === best.at && file > best.file)) newest.set(envelope.from, { file, at });
  }
  return new Set([...newest.values()].map((n) => n.file));
}

function summarize(payload: unknown): string {
  const text = JSON.stringify(payload) ?? "";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
