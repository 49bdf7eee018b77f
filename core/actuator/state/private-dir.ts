// Where the actuator's authority lives: a directory only its owner can touch. Anything else is not trusted.
import { lstatSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { currentUid } from "../../bus/trust";

/** The actuator's directory inside Otto Tray's state directory (`--home`). */
export function actuatorDir(homeDir: string): string {
  return join(homeDir, "actuator");
}

/** Why `dir` may not hold authority (switch, plans), or undefined when it is a directory only we can write. */
export function privateDirProblem(dir: string, uid: number | undefined = currentUid()): string | undefined {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    return `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (stat.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  if (uid !== undefined && stat.uid !== uid) return `${dir} is owned by uid ${stat.uid}, not by you`;
  if ((stat.mode & 0o077) !== 0) return `${dir} can be read or written by others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 700 on it`;
  return undefined;
}

/** Creates the actuator directory owner-only if it is missing; returns it, or throws when it is not private. */
export function ensureActuatorDir(homeDir: string): string {
  const dir = actuatorDir(homeDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const problem = privateDirProblem(dir);
  if (problem !== undefined) throw new Error(`the actuator's state directory is not private: ${problem}`);
  return dir;
}
