// `otto-tray audit`: the newest actuator audit entries (every plan, confirmation, refusal and action).
import { readAudit } from "../../core/actuator/state/audit-log";
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
  const entries = readAudit(resolveContext(values, io.env).homeDir, limit);
  if (values.json) writeJson(io.stdout, entries, true);
  else io.stdout.write(formatTable(["TIME", "SURFACE", "BACKEND", "EVENT", "DECISION", "REASON"], entries.map((e) => [e.at, e.surface ?? "-", e.backend ?? "-", e.event, e.decision, e.reason])));
  return 0;
}
