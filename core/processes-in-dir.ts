// Which processes work in a directory (their cwd is in it): Linux /proc/*/cwd; elsewhere the platform cannot tell.
import { readdirSync, readlinkSync } from "node:fs";
import { sep } from "node:path";

/**
 * Pids whose current directory is `dir` or below it, or undefined where this cannot be told (no /proc, e.g.
 * macOS): callers that act on "nobody works here" must then refuse unless told to go ahead. Processes of other
 * users whose cwd cannot be read are not seen.
 */
export function processesWorkingIn(dir: string): number[] | undefined {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return undefined;
  }
  if (!names.includes("self")) return undefined;
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${name}/cwd`);
    } catch {
      continue; // gone meanwhile, or another user's
    }
    if (cwd === dir || cwd.startsWith(`${dir}${sep}`)) found.push(Number(name));
  }
  return found;
}
