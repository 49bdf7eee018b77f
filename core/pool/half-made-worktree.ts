// A `git worktree add` killed mid-way can leave its admin dir with an empty `commondir`: then every git worktree command dies.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Restores the `commondir` file of pool worktrees whose `git worktree add` was killed between creating it and
 * writing it (seen with git 2.39: `git worktree list` then fails with "failed to read …/commondir: Success" for
 * every caller, the other agents' included). Only admin dirs whose `gitdir` points under `poolRoot` are touched, and
 * they get exactly what `git worktree add` writes there ("../.."). Call under the repository lock, so no pool add is
 * in progress. Returns the admin dirs repaired.
 */
export function repairEmptyCommondirs(commonDir: string, poolRoot: string): string[] {
  const worktrees = join(commonDir, "worktrees");
  let ids: string[];
  try {
    ids = readdirSync(worktrees);
  } catch {
    return [];
  }
  const repaired: string[] = [];
  for (const id of ids) {
    const admin = join(worktrees, id);
    const commondir = join(admin, "commondir");
    try {
      if (!existsSync(commondir) || readFileSync(commondir, "utf8") !== "") continue;
      const gitdir = readFileSync(join(admin, "gitdir"), "utf8").trim();
      if (!gitdir.startsWith(`${poolRoot}/`)) continue;
      writeFileSync(commondir, "../..\n");
      repaired.push(admin);
    } catch {
      // Unreadable: leave it to git and to a person.
    }
  }
  return repaired;
}
