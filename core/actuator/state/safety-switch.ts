// The safety switch and auto mode, persisted owner-only in the state directory. Off unless read clearly as on.
import { lstatSync, unlinkSync } from "node:fs";
import { writeFileAtomic } from "../../fs/atomic-write";
import { currentUid, DEFAULT_MAX_FILE_BYTES, readRegularFile } from "../../fs/regular-file";
import { parseFingerprint, type PolicyFingerprint } from "../policy/policy-fingerprint";
import { offMarkerFile, offMarkerPresent, removeOffMarker, writeOffMarker } from "./off-marker";
import { actuatorDir, ensureActuatorDir, privateDirProblem } from "./private-dir";
import { switchFile } from "./switch-record";

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

export { switchFile } from "./switch-record";

/**
 * Reads the switch. A missing file is off; anything else that is not a regular file we own, within a private
 * directory, holding a switch record, is off with a problem naming it. Opening never blocks (a FIFO there must not
 * hang the hook) and never follows a symlink. An "on" record reads as off while the off marker is present.
 */
export function readSwitch(homeDir: string): SwitchState {
  const file = switchFile(homeDir);
  const read = readRegularFile(file, DEFAULT_MAX_FILE_BYTES, currentUid());
  if (!read.ok && read.missing) return OFF;
  const problem = privateDirProblem(actuatorDir(homeDir));
  if (problem !== undefined) return { ...OFF, problem };
  if (!read.ok) return { ...OFF, problem: `${file} ${read.reason}; otto-tray actuator off replaces it` };
  if ((read.stat.mode & 0o022) !== 0) return { ...OFF, problem: `${file} can be written by others (mode ${(read.stat.mode & 0o777).toString(8)}); run chmod 600 on it` };
  let raw: unknown;
  try {
    raw = JSON.parse(read.text);
  } catch {
    raw = undefined;
  }
  const value = raw as Partial<Record<keyof SwitchState, unknown>> | undefined;
  if (typeof value !== "object" || value === null || typeof value.on !== "boolean") return { ...OFF, problem: `${file} is not a switch record` };
  if (value.on && offMarkerPresent(homeDir)) return { ...OFF, problem: `it was turned off while its record could not be written (${offMarkerFile(homeDir)}); it stays off until turned on again (otto-tray actuator on --confirm)` };
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
  // After the record: a marker that cannot be removed leaves the switch reading off, and says so.
  removeOffMarker(homeDir);
  return { ...state, problem: null };
}

/**
 * Turns the switch off, and auto mode with it: everything stops at once, including plans already made. Never throws:
 * off is the safe direction and must work in every state of the directory, so it does what it can, in order:
 *   1. writes the off record, whenever `<home>/actuator` is a real directory, private or not (an off record is
 *      harmless anywhere; written there, it still says off once the directory is made private again);
 *   2. else removes the record (a missing record is off; unlinking needs no free space);
 *   3. else writes the off marker beside the directory (core/actuator/state/off-marker.ts), which wins over an "on"
 *      record until the switch is turned on again with a confirmation.
 * Nothing is written through a symlinked directory. Returns the switch as it reads afterwards, its problem naming
 * what remains; `on` is still true only when nothing at all could be written, and the problem says why.
 */
export function turnSwitchOff(homeDir: string, now: Date = new Date()): SwitchState {
  const notes: string[] = [];
  const cannotWrite = writeOffRecord(homeDir);
  if (cannotWrite === undefined) removeOffMarkerQuietly(homeDir);
  else {
    notes.push(`the off record was not written: ${cannotWrite}`);
    const cannotRemove = removeRecord(homeDir);
    if (cannotRemove !== undefined) {
      const cannotMark = writeOffMarker(homeDir, cannotWrite, now);
      notes.push(cannotMark === undefined ? `${offMarkerFile(homeDir)} keeps it off` : `nor removed (${cannotRemove}) nor marked off (${cannotMark})`);
    }
  }
  const state = readSwitch(homeDir);
  if (state.on) return { ...state, problem: `the safety switch could not be turned off: ${notes.join("; ")}` };
  const problem = [...(state.problem === null ? [] : [state.problem]), ...notes].join("; ");
  return { ...state, problem: problem === "" ? null : problem };
}

/** Why `<home>/actuator` may not be written into at all (a symlink, not a directory), or undefined. */
function unwritableDir(homeDir: string): string | undefined {
  const dir = actuatorDir(homeDir);
  try {
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) return `${dir} is a symbolic link (nothing is written through it)`;
    if (stat !== undefined && !stat.isDirectory()) return `${dir} is not a directory`;
    return undefined;
  } catch (error) {
    return `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
}

function writeOffRecord(homeDir: string): string | undefined {
  const unwritable = unwritableDir(homeDir);
  if (unwritable !== undefined) return unwritable;
  try {
    // Not write(): that insists on a private directory, which the safe direction must not need.
    writeFileAtomic(switchFile(homeDir), `${JSON.stringify({ on: false, since: null, autoUntil: null } satisfies Stored, null, 2)}\n`, { mode: 0o600, durable: true });
    return undefined;
  } catch (error) {
    return `${switchFile(homeDir)} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

function removeRecord(homeDir: string): string | undefined {
  const unwritable = unwritableDir(homeDir);
  if (unwritable !== undefined) return unwritable;
  try {
    unlinkSync(switchFile(homeDir));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? undefined : `${switchFile(homeDir)} cannot be removed (${code ?? "error"})`;
  }
}

// With the off record in place the marker changes nothing; removing it only keeps a stale note out of the status.
function removeOffMarkerQuietly(homeDir: string): void {
  try {
    removeOffMarker(homeDir);
  } catch {
    // Harmless: it can only keep the switch off.
  }
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

/**
 * Disarms auto mode; the switch stays as it is. With `reason`, says why it was disarmed without the person asking.
 * Never throws. A record that cannot be trusted (it reads as off now, but may be armed underneath and read again once
 * its directory is fixed) is made off, switch and all; so is one whose disarmed record cannot be written.
 */
export function disarmAutoMode(homeDir: string, reason?: string, now: Date = new Date()): SwitchState {
  const current = readSwitch(homeDir);
  if (current.problem !== null) {
    const off = turnSwitchOff(homeDir, now);
    return { ...off, problem: `the switch's record cannot be trusted, so it was recorded off with auto mode: ${off.problem ?? current.problem}` };
  }
  if (!current.on) return current;
  const state: Stored = { on: true, since: current.since, autoUntil: null, armedPolicy: null, disarmed: reason === undefined ? null : { at: now.toISOString(), reason } };
  try {
    write(homeDir, state);
  } catch (error) {
    const off = turnSwitchOff(homeDir, now);
    return { ...off, problem: `auto mode could not be disarmed alone (${(error as Error).message}), so the safety switch was turned off${off.problem === null ? "" : `: ${off.problem}`}` };
  }
  return { ...state, problem: null };
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
