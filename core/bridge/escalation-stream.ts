// The escalations across machines: one JetStream stream, published with the episode's key as `msgID` (the stream's
// duplicate window is the second guard after the lease), and read by every machine's bridge through its own durable
// consumer, so a machine that was away gets what it missed, and each escalation is acknowledged once written. Behind a
// leaf node every call goes to the hub's domain; a leaf's own quorums told while cut off arrive sourced from its
// OTTO_TRAY_LOCAL stream (leaf-forward.ts), marked `scope: "local"`.
import { AckPolicy, DeliverPolicy, DiscardPolicy, type JetStreamClient, jetstream, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { z } from "zod";
import { hubJs, isPermissionViolation, isStreamNotFound, missingForThisUser, type NatsConnection } from "./nats-link";

export const ESCALATIONS_STREAM = "OTTO_TRAY_ESCALATIONS";
export const ESCALATIONS_SUBJECT = "otto-tray.escalations";
/** At least the lease's TTL plus its slack (a stale holder's late publish is still caught), with a wide margin. */
export const DUPLICATE_WINDOW_MS = 120_000;
/** Bounds of the stream (and of a leaf's OTTO_TRAY_LOCAL): a day of escalations, and never more than this many. */
export const ESCALATION_STREAM_BOUNDS = {
  duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  max_age: nanos(24 * 3600_000),
  max_msgs: 10_000,
  max_msg_size: 16 * 1024,
  discard: DiscardPolicy.Old,
} satisfies Partial<StreamConfig>;

/**
 * One escalation as it crosses: the quorum's payload plus who published it. `machines` (default): the quorum across
 * machines, keyed by its members. `local`: one machine's own quorum told while it was cut off (forwarded afterwards
 * from its leaf node), with that machine's local episode id, naming only that machine's surfaces.
 */
export const crossEscalationSchema = z
  .object({
    topic: z.literal("standing-by-quorum"),
    episodeId: z.string().regex(/^(q-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/),
    surfaces: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}\.[a-z0-9][a-z0-9-]{0,63}$/)).min(1).max(1024),
    since: z.iso.datetime(),
    windowMinutes: z.number().positive().max(1440),
    quorumSize: z.number().int().min(2).max(1024),
    publishedBy: z.string().max(64),
    scope: z.enum(["local", "machines"]).default("machines"),
  })
  .refine((e) => e.scope === "machines" || e.surfaces.every((s) => s.startsWith(`${e.publishedBy}.`)), { message: "a local escalation names only its own machine's surfaces", path: ["surfaces"] });
export type CrossEscalation = z.output<typeof crossEscalationSchema>;

/**
 * Uses the stream as it is when it exists (a machine's user may only read its info); creates it when it does not, where
 * the credentials allow it, else a BridgeLinkError says to run `bridge setup`. Whether it was created now.
 */
export async function ensureEscalationStream(connection: NatsConnection, hubDomain?: string): Promise<{ created: boolean }> {
  const jsm = await jetstreamManager(connection, hubJs(hubDomain));
  try {
    await jsm.streams.info(ESCALATIONS_STREAM);
    return { created: false };
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add({
      name: ESCALATIONS_STREAM,
      subjects: [ESCALATIONS_SUBJECT],
      ...ESCALATION_STREAM_BOUNDS,
    });
    return { created: true };
  } catch (error) {
    if (isPermissionViolation(error)) throw missingForThisUser(`the ${ESCALATIONS_STREAM} stream`);
    throw error;
  }
}

/** Publishes `escalation` with its episode key as msgID; `duplicate`: the stream already had it (published elsewhere). */
export async function publishEscalation(connection: NatsConnection, escalation: CrossEscalation, hubDomain?: string): Promise<{ duplicate: boolean }> {
  const js: JetStreamClient = jetstream(connection, hubJs(hubDomain));
  const ack = await js.publish(ESCALATIONS_SUBJECT, JSON.stringify(escalation), { msgID: escalation.episodeId });
  return { duplicate: ack.duplicate };
}

/**
 * Reads the stream through this host's durable consumer (made on first use, starting with what is new then), calling
 * `handle` for each escalation and acknowledging it once handled (one that throws is redelivered later); a message that
 * fails its schema is refused (named through `refuse`) and acknowledged, so it never comes back. Ends when the
 * connection closes, or when stopped through `onStop`.
 */
export async function followEscalations(
  connection: NatsConnection,
  host: string,
  handle: (escalation: CrossEscalation) => void,
  refuse: (reason: string) => void,
  hubDomain?: string,
  /** Given a way to end the reading (it then returns): behind a leaf a pull can be lost while the hub is away. */
  onStop?: (stop: () => void) => void,
): Promise<void> {
  const jsm = await jetstreamManager(connection, hubJs(hubDomain));
  const durable = `otto-tray-${host}`;
  try {
    await jsm.consumers.info(ESCALATIONS_STREAM, durable);
  } catch {
    await jsm.consumers.add(ESCALATIONS_STREAM, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New, max_ack_pending: 64 });
  }
  const consumer = await jetstream(connection, hubJs(hubDomain)).consumers.get(ESCALATIONS_STREAM, durable);
  const messages = await consumer.consume({ max_messages: 16 });
  onStop?.(() => messages.stop());
  for await (const message of messages) {
    let value: unknown;
    try {
      value = message.json();
    } catch {
      value = undefined;
    }
    const parsed = crossEscalationSchema.safeParse(value);
    if (!parsed.success) {
      refuse(`escalation #${message.seq}: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? "is invalid"}`);
      message.ack();
      continue;
    }
    try {
      handle(parsed.data);
      message.ack();
    } catch (error) {
      // Not written (an untrusted bus, a full disk): it comes back later rather than being lost.
      refuse(`escalation ${parsed.data.episodeId} not written yet: ${error instanceof Error ? error.message : String(error)}`);
      message.nak(5000);
    }
  }
}
