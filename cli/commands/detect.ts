// `otto-tray detect`: the detector in the foreground; prints state changes and publications as they happen.
import type { Envelope } from "../../core/bus/envelope";
import type { StateChange } from "../../core/detect/engine";
import { join } from "node:path";
import { PREFS_FILE_NAME } from "../../core/prefs/location";
import { DetectorService, evaluateBusOnce, type RoleChange } from "../../core/service";
import { registrySessionSource } from "../../core/sessions/session-source";
import { noPositionals, parseCommandArgs, parseTimeOption } from "../args";
import { UsageError } from "../../core/errors";
import { type CliIO, resolveContext } from "../context";
import { terminalSafe } from "../../core/text/terminal-safe";
import { writeJson } from "../output";

const USAGE = `usage: otto-tray detect [--once [--now ISO]] [--json] [--bus-dir DIR] [--config FILE] [--home DIR]
  Watches the bus, prints every state change and publishes escalations (standing-by nudges,
  standing-by quorum). One detector per bus publishes (the first to take the bus's publisher lock);
  the others read only, say so, and take over when it stops. --once evaluates one time and exits
  (--now evaluates at a fixed time); --json prints one JSON object a line.
`;

interface Printer {
  change(change: StateChange): void;
  published(envelope: Envelope): void;
  problem(message: string): void;
  role(role: RoleChange): void;
}

function makePrinter(io: CliIO, json: boolean): Printer {
  if (json) {
    return {
      change: (c) => writeJson(io.stdout, { type: "state", surface: c.surface, state: c.to, previous: c.from, at: c.at, reason: c.reason }),
      published: (e) => writeJson(io.stdout, { type: "published", envelope: e }),
      problem: (message) => writeJson(io.stdout, { type: "problem", at: new Date().toISOString(), message }),
      role: (r) => writeJson(io.stdout, { type: "role", at: new Date().toISOString(), role: r.role, message: r.message }),
    };
  }
  const time = (iso: string) => iso.slice(11, 19);
  // Reasons, payloads and problems quote bus text: one safe line each.
  const line = (text: string) => io.stdout.write(`${terminalSafe(text)}\n`);
  return {
    change: (c) => line(`${time(c.at)}  ${c.surface.padEnd(14)} ${c.from ?? "(start)"} → ${c.to}  ${c.reason}`),
    published: (e) => line(`${time(e.timestamp)}  published ${e.topic} to ${e.to}: ${JSON.stringify(e.payload)}`),
    problem: (message) => line(`${time(new Date().toISOString())}  problem: ${message}`),
    role: (r) => line(`${time(new Date().toISOString())}  ${r.role === "publisher" ? "role: " : ""}${r.message}`),
  };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { once: { type: "boolean" }, json: { type: "boolean" }, now: { type: "string" } });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "detect");
  const fixedNow = parseTimeOption(values.now, "now");
  if (fixedNow !== undefined && !values.once) throw new UsageError("--now needs --once", "a running detector follows the clock; use detect --once --now ISO");
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = await context.prefs();
  const busDir = await context.busDir();
  const printer = makePrinter(io, values.json === true);

  if (values.once) {
    // Claude Code's sessions are as they are now: not mixed into an evaluation at another time (--now).
    const sessions = fixedNow === undefined ? { sessions: registrySessionSource(io.env, prefs).sessions } : {};
    const result = evaluateBusOnce({ busDir, prefs, now: (fixedNow ?? new Date()).getTime(), publishEscalations: true, ...sessions });
    if (result.role !== undefined) printer.role(result.role);
    if (result.snapshot.busProblem !== null) printer.problem(`bus not trusted: ${result.snapshot.busProblem}`);
    result.problems.forEach(printer.problem);
    result.changes.forEach(printer.change);
    result.published.forEach(printer.published);
    return 0;
  }

  // Auto mode reads the actuator policy from the file at each look: a hand edit that widens it disarms auto mode.
  const { cachedActuatorPolicy } = await import("../../core/prefs/actuator-file");
  const prefsFile = context.configFile ?? join(context.homeDir, PREFS_FILE_NAME);
  const service = new DetectorService({ busDir, prefs, homeDir: context.homeDir, policy: cachedActuatorPolicy(prefsFile), claudeSessions: registrySessionSource(io.env, prefs) });
  service.on("change", printer.change);
  service.on("published", printer.published);
  service.on("problem", printer.problem);
  service.on("role", printer.role);
  await service.start();
  if (!values.json) io.stderr.write(`otto-tray: watching ${busDir} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await service.stop();
  return 0;
}
