// What `otto-tray actuator` writes to the audit log (and the bus) after changing the switch.
import { recordDecision } from "../../core/actuator/record";
import { appendAudit, type AuditEntry } from "../../core/actuator/state/audit-log";
import { describeError } from "../../core/errors";
import { terminalSafe } from "../../core/text/terminal-safe";
import type { CliContext, CliIO } from "../context";

function entry(event: string, reason: string): Omit<AuditEntry, "at"> {
  return { surface: null, backend: null, event, prompt: null, decision: "info", reason };
}

/** Turning on or arming: the bus directory is resolved first (unusable preferences stop the command before it acts). */
export async function strictAudit(context: CliContext): Promise<(event: string, reason: string) => void> {
  const record = { homeDir: context.homeDir, busDir: await context.busDir() };
  return (event, reason) => recordDecision(record, entry(event, reason));
}

/**
 * Turning off or disarming, already done: the safe direction does not wait on anything that can fail. Preferences
 * that name no usable bus cost only the bus's copy; an audit log that cannot be written is said on stderr, not fatal.
 */
export async function auditAfterSafeAction(context: CliContext, io: CliIO, event: string, reason: string): Promise<void> {
  const warn = (what: string, error: unknown) => io.stderr.write(`otto-tray actuator: ${event} was done, but ${what} (${terminalSafe(describeError(error))})\n`);
  let busDir: string | undefined;
  try {
    busDir = await context.busDir();
  } catch (error) {
    warn("the bus was not told: its directory cannot be known", error);
  }
  try {
    if (busDir === undefined) appendAudit(context.homeDir, { at: new Date().toISOString(), ...entry(event, reason) });
    else recordDecision({ homeDir: context.homeDir, busDir }, entry(event, reason));
  } catch (error) {
    warn("the audit log could not record it", error);
  }
}
