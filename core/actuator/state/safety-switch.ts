// The safety switch and auto mode, persisted owner-only in the state directory. Off unless read clearly as on.
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../../fs/atomic-write";
import { actuatorDir, ensureActuatorDir, privateDirProblem } from "./private-dir";

export interface SwitchState {
  /** The safety switch: while off, nothing is ever clicked or typed. */
  on: boolean;
  /** When it was last turned on (ISO), or null. */
  since: string | null;
  /** Auto mode: armed until this time (ISO), or null. Only effective while the switch is on. */
  autoUntil: string | null;
  /** Why the switch reads as off although a file exists (unreadable, not private): fail closed, say why. */
  problem: string | null;
}

const OFF: SwitchState = { on: false, since: null, autoUntil: null, problem: null };

/** The switch record's path (the app keys its cached view on it). */
export function switchFile(homeDir: string): string {
  return join(actuatorDir(homeDir), "switch.json");
}

/** Reads the switch. A missing file is off; an unreadable, malformed or untrusted one is off with a problem. */
export function readSwitch(homeDir: string): SwitchState {
  const dir = actuatorDir(homeDir);
  const raw = readJsonFile(switchFile(homeDir));
  if (raw === undefined) return OFF;
  const problem = privateDirProblem(dir);
  if (problem !== undefined) return { ...OFF, problem };
  const value = raw as Partial<Record<keyof SwitchState, unknown>>;
  if (typeof value !== "object" || value === null || typeof value.on !== "boolean") return { ...OFF, problem: `${switchFile(homeDir)} is not a switch record` };
  const since = typeof value.since === "string" ? value.since : null;
  const autoUntil = typeof value.autoUntil === "string" && !Number.isNaN(Date.parse(value.autoUntil)) ? value.autoUntil : null;
  return { on: value.on, since, autoUntil: value.on ? autoUntil : null, problem: null };
}

/** True when auto mode may act now: switch on, armed, not expired. */
export function autoModeActive(state: SwitchState, now: number): boolean {
  return state.on && state.autoUntil !== null && Date.parse(state.autoUntil) > now;
}

function write(homeDir: string, state: Omit<SwitchState, "problem">): void {
  ensureActuatorDir(homeDir);
  writeFileAtomic(switchFile(homeDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, durable: true });
}

/** Turns the switch on. `confirmed` must be true: the caller has shown what it allows and the person agreed. */
export function turnSwitchOn(homeDir: string, confirmed: boolean, now: Date = new Date()): SwitchState {
  if (!confirmed) throw new Error("turning the safety switch on needs an explicit confirmation");
  const state = { on: true, since: now.toISOString(), autoUntil: null };
  write(homeDir, state);
  return { ...state, problem: null };
}

/** Turns the switch off, and auto mode with it: everything stops at once, including plans already made. */
export function turnSwitchOff(homeDir: string): SwitchState {
  write(homeDir, { on: false, since: null, autoUntil: null });
  return OFF;
}

/** Arms auto mode for `hours` (the switch must be on, and the person must have confirmed). */
export function armAutoMode(homeDir: string, hours: number, confirmed: boolean, now: Date = new Date()): SwitchState {
  if (!confirmed) throw new Error("arming auto mode needs an explicit confirmation");
  if (!(hours > 0 && hours <= 24)) throw new Error("auto mode is armed for 1 second to 24 hours");
  const current = readSwitch(homeDir);
  if (!current.on) throw new Error("auto mode needs the safety switch on");
  const state = { on: true, since: current.since, autoUntil: new Date(now.getTime() + hours * 3_600_000).toISOString() };
  write(homeDir, state);
  return { ...state, problem: null };
}

/** Disarms auto mode; the switch stays as it is. */
export function disarmAutoMode(homeDir: string): SwitchState {
  const current = readSwitch(homeDir);
  const state = { on: current.on, since: current.since, autoUntil: null };
  if (current.on) write(homeDir, state);
  return { ...state, problem: current.problem };
}
