// `pool rescued`: lists the rescue branches (`otto-rescue/*`) with what each holds, and deletes one by name.
import { OttoError, UsageError } from "../errors";
import { locate, type PoolLocation } from "./context";
import { RepoError } from "./errors";
import { runGit } from "./git";
import { RESCUE_PREFIX } from "./rescue";

/** One rescue branch. */
export interface RescuedBranch {
  /** Short branch name, `otto-rescue/<identity>/<time>-sidetick-N`. */
  branch: string;
  commit: string;
  /** When the rescue happened (from the name), ISO 8601; null when the name does not say. */
  time: string | null;
  identity: string | null;
  sidetick: string | null;
  subject: string;
  /** Files the tip commit changes against its parent (all of them for a root commit). */
  files: string[];
  /** Commits only this branch holds (no other branch, remote-tracking branch or tag). */
  uniqueCommits: number;
}

// otto-rescue/<identity>/<YYYYMMDDTHHMMSSZ>-sidetick-<N>[-<k>]
const NAME = /^otto-rescue\/([^/]+)\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(sidetick-\d+)(?:-\d+)?$/;

/** Reads identity, time and sidetick out of a rescue branch name (pure). */
export function parseRescueName(branch: string): { identity: string | null; time: string | null; sidetick: string | null } {
  const m = NAME.exec(branch);
  if (m === null) return { identity: null, time: null, sidetick: null };
  return { identity: m[1] ?? null, time: `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}Z`, sidetick: m[8] ?? null };
}

/** Options of {@link listRescued}. */
export interface RescuedOptions extends PoolLocation {
  /** Only this identity's rescues. */
  identity?: string | undefined;
}

/** Every rescue branch of the repository, oldest first. */
export async function listRescued(options: RescuedOptions): Promise<RescuedBranch[]> {
  const { repo } = await locate(options);
  const format = "%(refname:short)%00%(objectname)%00%(subject)";
  const { stdout } = await runGit(repo.root, ["for-each-ref", `--format=${format}`, `refs/heads/${RESCUE_PREFIX}`]);
  const list: RescuedBranch[] = [];
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const [branch = "", commit = "", subject = ""] = line.split("\0");
    const parsed = parseRescueName(branch);
    if (options.identity !== undefined && parsed.identity !== options.identity) continue;
    const files = (await runGit(repo.root, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", "-z", commit])).stdout.split("\0").filter((f) => f !== "");
    const unique = await runGit(repo.root, ["rev-list", "--count", commit, "--not", `--exclude=${branch}`, "--branches", "--remotes", "--tags"]);
    list.push({ branch, commit, ...parsed, subject, files, uniqueCommits: Number(unique.stdout.trim()) });
  }
  return list.sort((a, b) => (a.time ?? "").localeCompare(b.time ?? "") || a.branch.localeCompare(b.branch));
}

/** Deletes exactly one rescue branch, named in full; anything else is refused. Returns what it pointed at. */
export async function deleteRescued(options: PoolLocation & { branch: string }): Promise<{ branch: string; commit: string }> {
  const branch = options.branch.replace(/^refs\/heads\//, "");
  if (!branch.startsWith(RESCUE_PREFIX) || branch.includes("*") || branch.endsWith("/")) {
    throw new UsageError(`--delete ${JSON.stringify(options.branch)} is not a rescue branch`, "name one branch otto-rescue/<identity>/<time>-sidetick-N as listed by otto-tray pool rescued");
  }
  const { repo } = await locate(options);
  const found = await runGit(repo.root, ["rev-parse", "--verify", "-q", `refs/heads/${branch}`], { okExitCodes: [0, 1, 128] });
  if (found.exitCode !== 0) throw new OttoError(`no rescue branch ${branch} in ${repo.root}`, { hint: "list them with otto-tray pool rescued" });
  const commit = found.stdout.trim();
  // Delete only what was listed: if the branch moved meanwhile, update-ref refuses.
  const deleted = await runGit(repo.root, ["update-ref", "-d", `refs/heads/${branch}`, commit], { okExitCodes: [0, 1, 128] });
  if (deleted.exitCode !== 0) throw new RepoError(`cannot delete ${branch}: ${deleted.stderr.trim()}`, "run otto-tray pool rescued again and retry");
  return { branch, commit };
}
