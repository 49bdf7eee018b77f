// Pure parsers of git's porcelain output (worktree list, status v2); tests feed them strings.

/** One entry of `git worktree list --porcelain -z`. */
export interface WorktreeEntry {
  path: string;
  head: string | undefined;
  /** Full ref name (refs/heads/x) or undefined when detached or bare. */
  branch: string | undefined;
  detached: boolean;
  bare: boolean;
  /** Lock reason ("" when locked without one); undefined when not locked. */
  locked: string | undefined;
  /** Why git would prune it; undefined when it is not prunable. */
  prunable: string | undefined;
}

/** Parses `git worktree list --porcelain -z`: records of NUL-terminated lines, separated by an empty line. */
export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const line of text.split("\0")) {
    if (line === "") {
      if (current) entries.push(current);
      current = undefined;
      continue;
    }
    const space = line.indexOf(" ");
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? undefined : line.slice(space + 1);
    if (key === "worktree") {
      if (current) entries.push(current);
      current = { path: value ?? "", head: undefined, branch: undefined, detached: false, bare: false, locked: undefined, prunable: undefined };
      continue;
    }
    if (!current) continue;
    if (key === "HEAD") current.head = value;
    else if (key === "branch") current.branch = value;
    else if (key === "detached") current.detached = true;
    else if (key === "bare") current.bare = true;
    else if (key === "locked") current.locked = value ?? "";
    else if (key === "prunable") current.prunable = value ?? "";
  }
  if (current) entries.push(current);
  return entries;
}

/** What `git status --porcelain=v2 --branch -z` says about a worktree. */
export interface StatusSummary {
  /** HEAD commit, undefined on an unborn branch. */
  head: string | undefined;
  /** Short branch name, undefined when detached. */
  branch: string | undefined;
  /** Changed, unmerged or untracked paths (ignored files excluded). */
  changes: string[];
  /** Paths with changes in the index (staged). */
  staged: string[];
  /** Tracked paths changed in the working tree but not staged. */
  unstaged: string[];
  /** Paths with a merge conflict. */
  unmerged: string[];
  untracked: string[];
  /** Ignored paths (only when status ran with --ignored). */
  ignored: string[];
  /** Submodules whose checked-out commit, tracked content or untracked files differ. */
  submodules: string[];
}

/** Parses `git status --porcelain=v2 --branch -z` (with or without -uall and --ignored). */
export function parseStatusV2(text: string): StatusSummary {
  const summary: StatusSummary = { head: undefined, branch: undefined, changes: [], staged: [], unstaged: [], unmerged: [], untracked: [], ignored: [], submodules: [] };
  const records = text.split("\0");
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? "";
    if (record === "") continue;
    if (record.startsWith("# branch.oid ")) {
      const oid = record.slice("# branch.oid ".length);
      summary.head = oid === "(initial)" ? undefined : oid;
    } else if (record.startsWith("# branch.head ")) {
      const head = record.slice("# branch.head ".length);
      summary.branch = head === "(detached)" ? undefined : head;
    } else if (record.startsWith("#")) {
      continue;
    } else if (record.startsWith("1 ") || record.startsWith("2 ")) {
      // A rename or copy ("2"): the original path follows as its own NUL-terminated record.
      const path = field(record, record.startsWith("1 ") ? 8 : 9);
      if (record.startsWith("2 ")) i++;
      summary.changes.push(path);
      addChange(summary, record, path);
    } else if (record.startsWith("u ")) {
      const path = field(record, 10);
      summary.changes.push(path);
      summary.unmerged.push(path);
      if (record.slice(5, 6) === "S") summary.submodules.push(path);
    } else if (record.startsWith("? ")) {
      summary.changes.push(record.slice(2));
      summary.untracked.push(record.slice(2));
    } else if (record.startsWith("! ")) {
      summary.ignored.push(record.slice(2));
    }
  }
  return summary;
}

// "1 XY sub ...": X is the index side, Y the working tree side ('.' unchanged); sub is "N..." or "S<c><m><u>".
function addChange(summary: StatusSummary, record: string, path: string): void {
  const x = record.charAt(2);
  const y = record.charAt(3);
  const sub = record.slice(5, 9);
  if (x !== ".") summary.staged.push(path);
  if (y !== ".") summary.unstaged.push(path);
  if (sub.startsWith("S") && sub !== "S...") summary.submodules.push(path);
}

// The path is the last field and may contain spaces, so split only the first `index` separators.
function field(record: string, index: number): string {
  let position = 0;
  for (let n = 0; n < index; n++) {
    const next = record.indexOf(" ", position);
    if (next < 0) return record;
    position = next + 1;
  }
  return record.slice(position);
}

/** Parses the symbolic or detached content of a worktree's HEAD file. */
export function parseHeadFile(text: string): { branch: string | undefined; head: string | undefined } {
  const line = text.trim();
  if (line.startsWith("ref: ")) return { branch: line.slice(5), head: undefined };
  return /^[0-9a-f]{40,64}$/.test(line) ? { branch: undefined, head: line } : { branch: undefined, head: undefined };
}

/** Parses a `.git` file of a linked worktree (`gitdir: PATH`). */
export function parseGitFile(text: string): string | undefined {
  const match = /^gitdir: (.+)$/m.exec(text);
  return match?.[1]?.trim();
}
