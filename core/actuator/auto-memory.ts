// When auto mode last answered each surface: the cooldown survives restarts (owner-only, in the state directory).
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../fs/atomic-write";
import { actuatorDir, ensureActuatorDir } from "./state/private-dir";

function file(homeDir: string): string {
  return join(actuatorDir(homeDir), "auto-actions.json");
}

/** Last automatic action per surface (ms). An unreadable file means "just acted": no action until it is fixed. */
export function readAutoActions(homeDir: string, now: number): Record<string, number> {
  const raw = readJsonFile(file(homeDir));
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null) return new Proxy({}, { get: () => now });
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === "number"));
}

export function rememberAutoAction(homeDir: string, surface: string, at: number): void {
  ensureActuatorDir(homeDir);
  const current = readAutoActions(homeDir, at);
  writeFileAtomic(file(homeDir), `${JSON.stringify({ ...current, [surface]: at })}\n`, { mode: 0o600, durable: true });
}
