// Values that pass the schema but cannot work (a quorum no surfaces can reach, a repository that is not one, a surface
// id nothing beats as), found before they are saved; warnings, not errors: the person may know better (a new surface).
import { statSync } from "node:fs";
import { DEFAULT_SURFACE_IDS } from "../ids";
import { RepoError } from "../pool/errors";
import { discoverRepo, type RepoInfo, resolveBase } from "../pool/repo";
import { closestName } from "../text/closest-name";
import { parsePrefsLenient } from "./lenient";
import type { Prefs } from "./schema";

/** One warning, on the form's field it is about (the key in the preferences file). */
export interface PrefsWarning {
  field: string;
  message: string;
}

export interface WarningContext {
  /** Surfaces whose heartbeats are on the bus now (or were watched): an id among them is known, whatever it is. */
  heardFrom: readonly string[];
}

/**
 * The warnings for `input` (the preferences as the form would save them). Keys the schema refuses are left to the
 * save's errors; the rest is read as the app would read it. A check that cannot finish is a warning too (fail closed).
 */
export async function prefsWarnings(input: Record<string, unknown>, context: WarningContext): Promise<PrefsWarning[]> {
  const { prefs, problems } = parsePrefsLenient(input);
  const refused = new Set(problems.map((p) => p.key));
  const warnings: PrefsWarning[] = [];
  if (!refused.has("quorumSize") && !refused.has("surfaces")) warnings.push(...quorumWarnings(prefs));
  if (!refused.has("surfaces")) warnings.push(...surfaceWarnings(prefs, context.heardFrom));
  if (!refused.has("repo") && !refused.has("baseRef")) warnings.push(...(await repoWarnings(prefs)));
  return warnings;
}

function quorumWarnings(prefs: Prefs): PrefsWarning[] {
  const count = prefs.surfaces.length;
  if (prefs.quorumSize <= count) return [];
  const listed = count === 1 ? "1 surface is listed" : `${count} surfaces are listed`;
  return [{ field: "quorumSize", message: `a quorum of ${prefs.quorumSize} can never be reached: only ${listed}. Lower it to ${count < 2 ? 2 : count}${count < 2 ? " and list another surface" : ""}, or list more surfaces` }];
}

function surfaceWarnings(prefs: Prefs, heardFrom: readonly string[]): PrefsWarning[] {
  const known = [...new Set([...DEFAULT_SURFACE_IDS, ...heardFrom, ...prefs.sessionRules.map((r) => r.surface)])];
  const warnings: PrefsWarning[] = [];
  for (const { id } of prefs.surfaces) {
    if (known.includes(id)) continue;
    const close = closestName(id, known);
    const guess = close === undefined ? "" : ` Did you mean "${close}"?`;
    warnings.push({ field: "surfaces", message: `no heartbeat from "${id}" has reached the bus.${guess} A new surface is fine: it shows once its hooks are installed.` });
  }
  return warnings;
}

const NAME_A_REPO = "name the directory of a git repository (or one of its worktrees)";

// Each git call is bounded by the pool's git timeout (core/pool/git.ts): one that does not return is ended and said.
async function repoWarnings(prefs: Prefs): Promise<PrefsWarning[]> {
  if (prefs.repo === undefined) return prefs.identities.length > 0 ? [{ field: "repo", message: `identities are listed but no repository is set, so their pools cannot be made: ${NAME_A_REPO}` }] : [];
  const kind = pathKind(prefs.repo);
  if (kind !== "directory") return [{ field: "repo", message: `${prefs.repo} ${kind}: ${NAME_A_REPO}` }];
  let repo: RepoInfo;
  try {
    repo = await discoverRepo(prefs.repo);
  } catch (error) {
    return [{ field: "repo", message: error instanceof RepoError ? `${error.message}: ${NAME_A_REPO}` : couldNotCheck("the repository", error) }];
  }
  try {
    await resolveBase(repo, prefs.baseRef);
    return [];
  } catch (error) {
    const message = error instanceof RepoError ? `${error.message}: set Base ref to a branch, tag or commit that exists there (e.g. main)` : couldNotCheck("the base ref", error);
    return [{ field: "baseRef", message }];
  }
}

function pathKind(path: string): "directory" | "does not exist" | "is a file, not a directory" | "cannot be read" {
  try {
    return statSync(path).isDirectory() ? "directory" : "is a file, not a directory";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
  }
}

/** A check that could not finish (git ended at its timeout, a permission) is said as such: never taken for a pass. */
function couldNotCheck(what: string, error: unknown): string {
  return `${what} could not be checked: ${error instanceof Error ? error.message : String(error)}`;
}
