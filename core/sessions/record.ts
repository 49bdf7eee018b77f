// Claude Code's own session record (`<configDir>/sessions/<pid>.json`): the fields Otto Tray reads, parsed with zod.
import { z } from "zod";

/**
 * Only pid, sessionId and cwd are required: older versions write fewer fields, and newer ones may add more
 * (unknown keys are dropped, never refused). A field of the wrong type is dropped rather than the whole record.
 */
export const sessionRecordSchema = z.object({
  pid: z.number().int().positive(),
  sessionId: z.string().min(1).max(200),
  cwd: z.string().min(1).max(4096),
  startedAt: z.number().finite().optional().catch(undefined),
  procStart: z.string().max(64).optional().catch(undefined),
  version: z.string().max(64).optional().catch(undefined),
  kind: z.string().max(64).optional().catch(undefined),
  entrypoint: z.string().max(64).optional().catch(undefined),
  pidDomain: z.string().max(256).optional().catch(undefined),
  name: z.string().max(200).optional().catch(undefined),
  status: z.string().max(64).optional().catch(undefined),
  waitingFor: z.string().max(200).optional().catch(undefined),
  updatedAt: z.number().finite().optional().catch(undefined),
  statusUpdatedAt: z.number().finite().optional().catch(undefined),
});

export type SessionRecord = z.output<typeof sessionRecordSchema>;

export type RecordParse = { ok: true; record: SessionRecord } | { ok: false; torn: boolean; reason: string };

/** Parses a record's text; `torn` marks text that is not JSON at all (a rewrite in place caught half done). */
export function parseSessionRecord(text: string): RecordParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, torn: true, reason: `is not valid JSON (${(error as Error).message})` };
  }
  const parsed = sessionRecordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, torn: false, reason: `is not a session record (${parsed.error.issues[0]?.path.join(".") ?? "?"}: ${parsed.error.issues[0]?.message ?? "invalid"})` };
  return { ok: true, record: parsed.data };
}
