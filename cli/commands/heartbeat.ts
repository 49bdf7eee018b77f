// `otto-tray heartbeat`: publishes one heartbeat envelope for a surface (for scripts, loops and tests).
import { HEARTBEAT_STATUSES, type HeartbeatPayload, type HeartbeatStatus } from "../../core/bus/envelope";
import { heartbeatPayloadSchema } from "../../core/bus/schema";
import { publish } from "../../core/bus/writer";
import { UsageError } from "../../core/errors";
import { parseSurfaceId } from "../../core/ids";
import { noPositionals, parseCommandArgs, parseIntOption, requireOption } from "../args";
import { type CliIO, resolveContext } from "../context";
import { requireKnownSurface } from "../known-surface";
import { writeJson } from "../output";

const USAGE = `usage: otto-tray heartbeat --surface ID --status working|idle|alive [--waiting TEXT] [--brief-ack]
                          [--note TEXT] [--event NAME] [--pid N] [--allow-new-surface] [--json]
  --surface must be one the preferences list (or a default one) unless --allow-new-surface
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    surface: { type: "string" },
    status: { type: "string" },
    waiting: { type: "string" },
    "brief-ack": { type: "boolean" },
    note: { type: "string" },
    event: { type: "string" },
    pid: { type: "string" },
    json: { type: "boolean" },
    "allow-new-surface": { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  noPositionals(positionals, "heartbeat");
  const surface = parseSurfaceId(requireOption(values.surface, "surface", "ID"), "--surface");
  const status = requireOption(values.status, "status", HEARTBEAT_STATUSES.join("|"));
  if (!(HEARTBEAT_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status: ${JSON.stringify(status)} is not one of ${HEARTBEAT_STATUSES.join(", ")}`);
  }
  const payload: HeartbeatPayload = { status: status as HeartbeatStatus };
  if (values.note !== undefined) payload.note = values.note;
  if (values.waiting !== undefined) payload.waiting = values.waiting;
  if (values["brief-ack"]) payload.briefAck = true;
  if (values.event !== undefined) payload.event = values.event;
  const pid = parseIntOption(values.pid, "pid", 1, 2 ** 31 - 1);
  if (pid !== undefined) payload.pid = pid;

  assertReadable(payload);

  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  await requireKnownSurface(surface, context, values["allow-new-surface"] === true);
  const envelope = publish(await context.busDir(), { topic: "heartbeat", payload, from: surface });
  if (values.json) writeJson(io.stdout, envelope);
  else io.stdout.write(`${envelope.id}\n`);
  return 0;
}

// The option each payload field comes from, so a rejected field is reported as the argument the person typed.
const OPTION_OF_FIELD: Readonly<Record<string, string>> = { note: "--note", waiting: "--waiting", event: "--event", pid: "--pid", status: "--status" };

/** Every reader validates heartbeats with this schema: refuse here what they would all reject. */
function assertReadable(payload: HeartbeatPayload): void {
  const result = heartbeatPayloadSchema.safeParse(payload);
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? "payload");
  const option = OPTION_OF_FIELD[field] ?? field;
  const max = issue?.code === "too_big" ? Number(issue.maximum) : undefined;
  if (max !== undefined) {
    const length = String((payload as unknown as Record<string, unknown>)[field] ?? "").length;
    throw new UsageError(`${option}: ${length} characters is over the limit of ${max}`, `shorten ${option} to at most ${max} characters`);
  }
  throw new UsageError(`${option}: ${issue?.message ?? "invalid"}`);
}
