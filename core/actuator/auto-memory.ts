// When auto mode last answered each surface: the cooldown survives restarts (owner-only, in the state directory).
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../fs/atomic-write";
import { actuatorDir, ensureActuatorDir } from "./state/private-dir";

function file(homeDir: string): string {
  return join(actuatorDir(homeDir), "auto-actions.json");
}

/** Last automatic action per surface (ms), or "unreadable": a file that exists but cannot be read. */
function readAll(homeDir: string): Record<string, number> | "unreadable" {
  const raw = readJsonFile(file(homeDir));
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "unreadable";
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === "number"));
}

/** When auto mode last acted on `surface`. An unreadable file means "just now": no action until it is fixed. */
export function lastAutoAction(homeDir: string, surface: string, now: number): number | undefined {
  const all = readAll(homeDir);
  return all === "unreadable" ? now : all[surface];
}

export function rememberAutoAction(homeDir: string, surface: string, at: number): void {
  ensureActuatorDir(homeDir);
  const current = readAll(homeDir);
  writeFileAtomic(file(homeDir), `${JSON.stringify({ ...(current === "unreadable" ? {} : current), [surface]: at })}\n`, { mode: 0o600, durable: true });
}
