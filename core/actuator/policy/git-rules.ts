// Git judged as it really runs: its global options read first (`-C`, `-c` …), then the subcommand and its options.
// Returns why a git command is blocked or unjudgeable, or undefined.
import { isShortCluster, longOption } from "./program-names";
import { insideProject, type WorkingDirs } from "./project-paths";

export type RuleVerdict = { refusal: "blocked" | "unjudgeable"; reason: string } | undefined;

// Global options that make git run other programs or work elsewhere with settings from the command line.
const GLOBAL_BLOCKED = new Set(["-c", "--config-env", "--exec-path", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--attr-source"]);
const GLOBAL_FLAGS = new Set(["-p", "--paginate", "-P", "--no-pager", "--no-replace-objects", "--bare", "--literal-pathspecs", "--glob-pathspecs", "--noglob-pathspecs", "--icase-pathspecs", "--no-optional-locks", "--no-advice", "--version", "--help", "-v", "-h"]);

// Git's own commands: anything else may be an alias from a configuration file, and an alias can run anything.
const KNOWN = new Set(
  ("add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout " +
    "checkout-index cherry cherry-pick citool clean clone column commit commit-graph commit-tree config count-objects credential " +
    "describe diff diff-files diff-index diff-tree difftool fetch fetch-pack filter-branch filter-repo for-each-ref format-patch fsck gc " +
    "get-tar-commit-id grep hash-object help init instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit " +
    "maintenance merge merge-base merge-file merge-tree mergetool mktag mktree mv name-rev notes pull push range-diff read-tree " +
    "rebase reflog remote repack replace request-pull rerere reset restore rev-list rev-parse revert rm send-email shortlog show " +
    "show-branch show-ref sparse-checkout stash status stripspace submodule switch symbolic-ref tag update-index update-ref " +
    "var verify-commit verify-pack verify-tag version whatchanged worktree write-tree prune").split(" "),
);

// Options that name a program for git to run, per subcommand ("*": any).
const RUNS_PROGRAM: Readonly<Record<string, readonly string[]>> = {
  "*": ["--upload-pack", "--receive-pack", "--exec", "--open-files-in-pager", "--extcmd", "--sendmail-cmd", "--smtp-server", "--tool", "--ext-diff", "--textconv"],
  rebase: ["-x", "--exec"],
  difftool: ["-x", "--extcmd", "-t", "--tool"],
  mergetool: ["-t", "--tool"],
  grep: ["-O"],
  clone: ["-u"],
};
// Subcommands whose very purpose is to run a command given to them.
const RUNS_COMMANDS: Readonly<Record<string, string>> = { bisect: "run", submodule: "foreach" };
// Options whose value is a file git writes.
const WRITES_TO = new Set(["--output", "-o", "--output-directory"]);

export function gitVerdict(args: readonly string[], dirs: WorkingDirs): RuleVerdict {
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("-")) break;
    const { name, value } = longOption(arg);
    if (GLOBAL_BLOCKED.has(name) || /^-c./.test(arg)) return { refusal: "blocked", reason: `git ${name} sets configuration or paths for this command, and those can run any program (alias.*, core.pager, core.sshCommand…)` };
    if (name === "-C") {
      const dir = value ?? args[++i];
      if (dir === undefined || !insideProject(dir, dirs)) return { refusal: "blocked", reason: `git -C ${dir ?? ""} works in a directory outside the project` };
      continue;
    }
    if (!GLOBAL_FLAGS.has(arg)) return { refusal: "unjudgeable", reason: `git: a global option Otto Tray does not know (${arg})` };
  }
  const sub = args[i];
  if (sub === undefined) return undefined;
  if (!KNOWN.has(sub)) return { refusal: "unjudgeable", reason: `git ${sub} is not one of git's own commands: it may be an alias, and an alias can run anything` };
  return subcommandVerdict(sub, args.slice(i + 1), dirs);
}

function subcommandVerdict(sub: string, rest: readonly string[], dirs: WorkingDirs): RuleVerdict {
  const flags = new Set(rest);
  const shortLetters = new Set(rest.filter((a) => isShortCluster(a)).flatMap((a) => [...a.slice(1)]));
  const names = rest.map((a) => longOption(a).name);
  const runs = [...(RUNS_PROGRAM["*"] ?? []), ...(RUNS_PROGRAM[sub] ?? [])].find((o) => names.includes(o) || (o.length === 2 && shortLetters.has(o.slice(1))));
  if (runs !== undefined) return { refusal: "blocked", reason: `git ${sub} ${runs} runs another program` };
  if (RUNS_COMMANDS[sub] !== undefined && rest.includes(RUNS_COMMANDS[sub])) return { refusal: "blocked", reason: `git ${sub} ${RUNS_COMMANDS[sub]} runs a command given to it` };
  const written = writtenFiles(rest).find((path) => !insideProject(path, dirs));
  if (written !== undefined) return { refusal: "blocked", reason: `git ${sub} writes outside the project (${written})` };
  switch (sub) {
    case "push":
      if (names.some((n) => ["--force", "--force-with-lease", "--force-if-includes", "--mirror", "--delete", "--prune"].includes(n)) || shortLetters.has("f") || shortLetters.has("d")) {
        return { refusal: "blocked", reason: "it force-pushes or deletes remote branches (git push)" };
      }
      if (rest.some((a) => !a.startsWith("-") && (a.startsWith("+") || a.startsWith(":")))) return { refusal: "blocked", reason: "it force-pushes or deletes a ref (git push +ref / :ref)" };
      return undefined;
    case "clean":
      return { refusal: "blocked", reason: "it deletes untracked files (git clean)" };
    case "reset":
      return flags.has("--hard") || flags.has("--merge") ? { refusal: "blocked", reason: "it throws away changes (git reset --hard)" } : undefined;
    case "checkout":
    case "switch":
      return flags.has("--") || flags.has(".") || names.includes("--force") || names.includes("--discard-changes") || shortLetters.has("f") || shortLetters.has("B") ? { refusal: "blocked", reason: `it throws away changes (git ${sub})` } : undefined;
    case "restore":
      // Only restoring the index alone keeps the working tree's changes.
      return (flags.has("--staged") || shortLetters.has("S")) && !flags.has("--worktree") && !shortLetters.has("W") ? undefined : { refusal: "blocked", reason: "it throws away changes in the working tree (git restore)" };
    case "branch":
      return names.includes("--delete") || names.includes("--force") || ["d", "D", "M", "C", "f"].some((l) => shortLetters.has(l)) ? { refusal: "blocked", reason: "it deletes or overwrites branches (git branch -d/-D/-M/-f)" } : undefined;
    case "stash":
      return rest.some((a) => a === "drop" || a === "clear") ? { refusal: "blocked", reason: "it deletes stashed work (git stash drop/clear)" } : undefined;
    case "tag":
      return names.includes("--delete") || names.includes("--force") || shortLetters.has("d") || shortLetters.has("f") ? { refusal: "blocked", reason: "it deletes or moves tags (git tag -d/-f)" } : undefined;
    case "update-ref":
      return { refusal: "blocked", reason: "it rewrites refs directly (git update-ref)" };
    case "filter-branch":
    case "filter-repo":
    case "gc":
    case "prune":
    case "reflog":
    case "replace":
      return { refusal: "blocked", reason: `it rewrites or prunes history (git ${sub})` };
    case "worktree":
      return rest.some((a) => a === "remove" || a === "prune") ? { refusal: "blocked", reason: "it removes worktrees (git worktree remove/prune)" } : undefined;
    case "config":
    case "credential":
    case "remote":
      return { refusal: "blocked", reason: `it changes git configuration, remotes or credentials (git ${sub})` };
    case "clone":
    case "init": {
      const target = rest.filter((a) => !a.startsWith("-")).at(sub === "clone" ? 1 : 0);
      return target !== undefined && !insideProject(target, dirs) ? { refusal: "blocked", reason: `git ${sub} writes outside the project (${target})` } : undefined;
    }
    default:
      return undefined;
  }
}

// `--output=FILE`, `--output FILE`, `-o FILE`, `-oFILE`.
function writtenFiles(rest: readonly string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    const { name, value } = longOption(arg);
    if (WRITES_TO.has(name)) {
      const file = value ?? rest[i + 1];
      if (file !== undefined) files.push(file);
    } else if (/^-o./.test(arg)) files.push(arg.slice(2));
  }
  return files;
}
