// Envelope validation (zod): the one place that decides whether a parsed bus file is an envelope.
import { z } from "zod";
import { SURFACE_ID_PATTERN } from "../ids";
import { HEARTBEAT_STATUSES } from "./envelope";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoTime = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), { message: "is not an ISO-8601 time" });
const surfaceId = z.string().regex(SURFACE_ID_PATTERN, { message: "is not a valid surface id" });

export const envelopeSchema = z.object({
  id: z.string().regex(UUID_PATTERN, { message: "is not a UUID" }),
  topic: z.string().min(1).max(128).regex(/^[a-z0-9][a-z0-9._-]*$/i, { message: "is not a topic name" }),
  payload: z.unknown(),
  from: surfaceId,
  to: z.union([z.literal("*"), surfaceId]),
  timestamp: isoTime,
  expiresAt: isoTime,
});

export const heartbeatPayloadSchema = z.object({
  status: z.enum(HEARTBEAT_STATUSES as unknown as ["alive", "idle", "working"]),
  note: z.string().max(4096).optional(),
  waiting: z.string().max(4096).optional(),
  briefAck: z.boolean().optional(),
  event: z.string().max(128).optional(),
  pid: z.number().int().positive().max(2 ** 31 - 1).optional(),
  sessionId: z.string().max(256).optional(),
  transcriptPath: z.string().max(4096).optional(),
  cwd: z.string().max(4096).optional(),
});

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
