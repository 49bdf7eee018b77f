// The safety switch and auto mode, persisted owner-only in the state directory. Off unless read clearly as on.
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../../fs/atomic-write";
import { parseFingerprint, type PolicyFingerprint } from "../policy/policy-fingerprint";
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
  /** The allowlist and blocklist auto mode was armed with: a wider policy disarms it (core/actuator/state/armed-policy.ts). */
  armedPolicy?: PolicyFingerprint | null;
  /** Why auto mode was last disarmed without the person turning it off (a wider policy, unusable preferences), or null. */
  disarmed?: { at: string; reason: string } | null;
}

type Stored = Omit<SwitchState, "problem">;

const OFF: SwitchState = { on: false, since: null, autoUntil: null, problem: null };
const NO_FINGERPRINT = "it was armed without a record of the allowlist and blocklist it allows (an older Otto Tray); arm it again to confirm them";

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
  const readUntil = typeof value.autoUntil === "string" && !Number.isNaN(Date.parse(value.autoUntil)) ? value.autoUntil : null;
  const armedPolicy = parseFingerprint(value.armedPolicy) ?? null;
  const disarmed = readDisarmed(value.disarmed);
  // Armed with no record of what it was armed for: fail closed, as if never armed.
  if (value.on && readUntil !== null && armedPolicy === null) return { on: true, since, autoUntil: null, problem: null, armedPolicy: null, disarmed: { at: readUntil, reason: NO_FINGERPRINT } };
  const autoUntil = value.on ? readUntil : null;
  return { on: value.on, since, autoUntil, problem: null, armedPolicy: autoUntil === null ? null : armedPolicy, disarmed };
}

function readDisarmed(value: unknown): SwitchState["disarmed"] {
  const v = value as { at?: unknown; reason?: unknown } | null | undefined;
  return typeof v?.at === "string" && typeof v.reason === "string" ? { at: v.at, reason: v.reason } : null;
}

/** True when auto mode may act now: switch on, armed, not expired. */
export function autoModeActive(state: SwitchState, now: number): boolean {
  return state.on && state.autoUntil !== null && Date.parse(state.autoUntil) > now;
}

function write(homeDir: string, state: Stored): void {
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

/**
 * Arms auto mode for `hours` (the switch must be on, and the person must have confirmed) with the policy in force:
 * a later change that widens it disarms auto mode until it is armed and confirmed again.
 */
export function armAutoMode(homeDir: string, hours: number, confirmed: boolean, policy: PolicyFingerprint, now: Date = new Date()): SwitchState {
  if (!confirmed) throw new Error("arming auto mode needs an explicit confirmation");
  if (!(hours > 0 && hours <= 24)) throw new Error("auto mode is armed for 1 second to 24 hours");
  const current = readSwitch(homeDir);
  if (!current.on) throw new Error("auto mode needs the safety switch on");
  const state: Stored = { on: true, since: current.since, autoUntil: new Date(now.getTime() + hours * 3_600_000).toISOString(), armedPolicy: policy, disarmed: null };
  write(homeDir, state);
  return { ...state, problem: null };
}

/** Disarms auto mode; the switch stays as it is. With `reason`, says why it was disarmed without the person asking. */
export function disarmAutoMode(homeDir: string, reason?: string, now: Date = new Date()): SwitchState {
  const current = readSwitch(homeDir);
  const state: Stored = { on: current.on, since: current.since, autoUntil: null, armedPolicy: null, disarmed: reason === undefined ? null : { at: now.toISOString(), reason } };
  if (current.on) write(homeDir, state);
  return { ...state, problem: current.problem };
}

/** Keeps auto mode armed with a narrower policy recorded, so that widening back to the old one needs a confirmation too. */
export function narrowArmedPolicy(homeDir: string, policy: PolicyFingerprint): void {
  const current = readSwitch(homeDir);
  if (!current.on || current.autoUntil === null) return;
  write(homeDir, { on: true, since: current.since, autoUntil: current.autoUntil, armedPolicy: policy, disarmed: null });
}

/** The switch as the API shows it (no stored fingerprints), with auto mode judged against `now`. */
export function switchView(state: SwitchState, now: number): { on: boolean; since: string | null; autoUntil: string | null; problem: string | null; autoActive: boolean; disarmedReason: string | null } {
  return { on: state.on, since: state.since, autoUntil: state.autoUntil, problem: state.problem, autoActive: autoModeActive(state, now), disarmedReason: state.disarmed?.reason ?? null };
}
