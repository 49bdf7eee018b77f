// The audit log: every plan, confirmation, refusal and action, one JSON line each, owner-only, append-only.
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { actuatorDir, ensureActuatorDir } from "./private-dir";

export interface AuditEntry {
  at: string;
  surface: string | null;
  backend: string | null;
  /** What happened: plan, confirm, refuse, act, switch-on, switch-off, auto-on, auto-off, escalate. */
  event: string;
  prompt: unknown;
  decision: "allowed" | "refused" | "done" | "failed" | "info";
  reason: string;
  result?: unknown;
}

/** The audit log's path (the app keys its cached view on it). */
export function auditFile(homeDir: string): string {
  return join(actuatorDir(homeDir), "audit.jsonl");
}

/** Appends one entry (a single write of one line, so concurrent writers never interleave within it). */
export function appendAudit(homeDir: string, entry: AuditEntry): void {
  ensureActuatorDir(homeDir);
  const fd = openSync(auditFile(homeDir), "a+", 0o600);
  try {
    // A line torn by a crash must not swallow the next entry: start on a fresh line.
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    writeSync(fd, `${torn ? "\n" : ""}${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The newest `limit` entries, oldest first; lines that are not JSON are skipped. */
export function readAudit(homeDir: string, limit = 50): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(auditFile(homeDir), "utf8");
  } catch {
    return [];
  }
  const entries: AuditEntry[] = [];
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // A torn line after a crash: skip it rather than hide every other entry.
    }
  }
  return entries.reverse();
}
