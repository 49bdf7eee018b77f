// Writes down every plan, confirmation, refusal and action: the audit log first (authority), then the bus (news).
import type { Envelope } from "../bus/envelope";
import { checkBusTrust } from "../bus/trust";
import { publish } from "../bus/writer";
import { OTTO_TRAY_SENDER } from "../ids";
import { type AuditEntry, appendAudit } from "./state/audit-log";

export interface RecordContext {
  homeDir: string;
  busDir: string;
}

/** The bus topic audit entries are published under (information for other tools, never authority). */
export const AUDIT_TOPIC = "actuator-audit";

/**
 * Appends `entry` to the audit log and publishes it; with `escalate`, also a `stuck-prompt` envelope so an agent
 * or a person takes over. A bus that is untrusted or cannot be written loses only the news, never the audit line.
 */
export function recordDecision(ctx: RecordContext, entry: Omit<AuditEntry, "at">, options: { escalate?: boolean; now?: Date } = {}): Envelope[] {
  const now = options.now ?? new Date();
  const full: AuditEntry = { at: now.toISOString(), ...entry };
  appendAudit(ctx.homeDir, full);
  if (!checkBusTrust(ctx.busDir).trusted) return [];
  const published: Envelope[] = [];
  try {
    published.push(publish(ctx.busDir, { topic: AUDIT_TOPIC, payload: full, from: OTTO_TRAY_SENDER }, now));
    if (options.escalate && entry.surface !== null) {
      const payload = { surface: entry.surface, prompt: entry.prompt, action: entry.event, reason: entry.reason };
      published.push(publish(ctx.busDir, { topic: "stuck-prompt", payload, from: OTTO_TRAY_SENDER, to: entry.surface }, now));
    }
  } catch {
    // The audit log holds the record; the bus is best effort.
  }
  return published;
}
