// `otto-tray audit`: the newest actuator audit entries (every plan, confirmation, refusal and action).
import { AUDIT_READ_MAX_BYTES, auditFile, readAuditTail } from "../../core/actuator/state/audit-log";
import { noPositionals, parseCommandArgs, parseIntOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { formatTable, writeJson } from "../output";

const USAGE = "usage: otto-tray audit [--json] [--limit N]   (default 20, newest last)\n";

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" }, limit: { type: "string" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "audit");
  const limit = parseIntOption(values.limit, "limit", 1, 10_000) ?? 20;
  const homeDir = resolveContext(values, io.env).homeDir;
  // Throws, naming the file, when the log cannot be read: an unreadable audit is never shown as an empty one.
  const { entries, cut } = readAuditTail(homeDir, limit);
  if (cut) io.stderr.write(`otto-tray audit: ${entries.length} entries shown: a read stops after ${AUDIT_READ_MAX_BYTES} bytes; older lines stay unread in ${auditFile(homeDir)} and its rotated generations\n`);
  if (values.json) writeJson(io.stdout, entries, true);
  else io.stdout.write(formatTable(["TIME", "SURFACE", "BACKEND", "EVENT", "DECISION", "REASON"], entries.map((e) => [e.at, e.surface ?? "-", e.backend ?? "-", e.event, e.decision, e.reason])));
  return 0;
}
