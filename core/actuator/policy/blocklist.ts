// The blocklist that always wins: deletion, privilege, disk tools, credentials, force pushes, history rewrites,
// code that runs other code, and writes outside the project. Returns why a command is blocked, or undefined.
import { isAbsolute, relative, resolve } from "node:path";
import type { SimpleCommand } from "./shell-words";

const DELETES = new Set(["rm", "rmdir", "unlink", "shred", "srm", "trash", "truncate", "wipe"]);
const PRIVILEGE = new Set(["sudo", "doas", "su", "pkexec", "runas", "chroot"]);
const DISK_TOOLS = new Set(["dd", "fdisk", "sfdisk", "gdisk", "parted", "diskutil", "hdiutil", "mount", "umount", "wipefs", "blkdiscard", "gpt", "asr", "fsck", "tmutil"]);
// Programs that run another program or code given as text: what they run cannot be judged here.
const RUNS_OTHER_CODE = new Set(["sh", "bash", "zsh", "fish", "dash", "ksh", "csh", "tcsh", "eval", "exec", "source", ".", "xargs", "env", "command", "builtin", "nohup", "timeout", "watch", "osascript", "open", "launchctl", "crontab", "at", "ssh", "scp", "sftp", "nc", "ncat", "socat", "telnet"]);
const INLINE_CODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  node: ["-e", "--eval", "-p", "--print"],
  python: ["-c"],
  python3: ["-c"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  php: ["-r"],
  deno: ["eval"],
  bun: ["-e", "--eval"],
};
const CREDENTIAL_TOOLS = new Set(["security", "gpg", "gpg2", "ssh-add", "ssh-keygen", "ssh-agent", "op", "pass", "keychain", "aws", "gcloud", "az", "vault", "gh"]);
const CREDENTIAL_PATH = /(^|[/\s=])\.(ssh|gnupg|aws|azure|kube|docker|netrc|npmrc|pypirc|git-credentials|env)(\b|$)|id_(rsa|dsa|ecdsa|ed25519)|\.(pem|key|p12|pfx|keychain(-db)?|kdbx)$|credential|secret|passw(or)?d|token|private[-_]?key/i;
const WRITES = new Set(["cp", "mv", "tee", "ln", "install", "rsync", "touch", "mkdir", "chmod", "chown", "chgrp", "sed", "patch", "tar", "unzip", "curl", "wget"]);

/** Why `command` must never be answered yes, or undefined when nothing on the blocklist matches. */
export function blockReason(command: SimpleCommand, projectDir: string): string | undefined {
  const [name0 = "", ...args] = command.words;
  const name = name0.split("/").pop() ?? name0;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(name0)) return "it sets environment variables for the command (what runs cannot be judged)";
  if (PRIVILEGE.has(name)) return `it runs with more privileges (${name})`;
  if (DELETES.has(name)) return `it deletes files (${name})`;
  if (DISK_TOOLS.has(name) || /^mkfs|^newfs|^fsck/.test(name)) return `it is a disk tool (${name})`;
  if (RUNS_OTHER_CODE.has(name)) return `it runs other code that cannot be judged (${name})`;
  const inline = INLINE_CODE_FLAGS[name];
  if (inline && args.some((a) => inline.includes(a))) return `it runs code given inline (${name} ${args.find((a) => inline.includes(a)) ?? ""})`;
  if (CREDENTIAL_TOOLS.has(name)) return `it handles credentials or keys (${name})`;
  const credential = command.words.concat(command.redirects).find((w) => CREDENTIAL_PATH.test(w));
  if (credential !== undefined) return `it touches credentials or keys (${credential})`;
  if (name === "find" && args.some((a) => ["-delete", "-exec", "-execdir", "-ok", "-okdir"].includes(a))) return "it deletes or runs commands on found files (find)";
  if (name === "git") {
    const git = gitBlockReason(args);
    if (git !== undefined) return git;
  }
  const outside = command.redirects.find((t) => t !== "/dev/null" && !insideProject(t, projectDir));
  if (outside !== undefined) return `it writes outside the project (${outside})`;
  if (WRITES.has(name)) {
    const path = args.filter((a) => !a.startsWith("-")).find((a) => !insideProject(a, projectDir));
    if (path !== undefined) return `it writes outside the project (${path})`;
  }
  return undefined;
}

/** True when `path` (relative paths are taken from the project) stays inside `projectDir`. `~` is outside. */
export function insideProject(path: string, projectDir: string): boolean {
  if (path.startsWith("~")) return false;
  const full = isAbsolute(path) ? resolve(path) : resolve(projectDir, path);
  const rel = relative(resolve(projectDir), full);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

// Git subcommands that rewrite or drop work, or push over someone else's history.
function gitBlockReason(args: string[]): string | undefined {
  const sub = args.find((a) => !a.startsWith("-"));
  const flags = new Set(args);
  if (sub === "push") {
    if (args.some((a) => /^(-f|--force|--force-with-lease|--force-if-includes|--mirror|--delete|-d|--prune)(=|$)/.test(a))) return "it force-pushes or deletes remote branches (git push)";
    if (args.some((a) => /^\+|^:/.test(a))) return "it force-pushes a refspec (git push +ref / :ref)";
  }
  if (sub === "clean") return "it deletes untracked files (git clean)";
  if (sub === "reset" && flags.has("--hard")) return "it throws away changes (git reset --hard)";
  if ((sub === "checkout" || sub === "restore") && (flags.has("--") || flags.has(".") || flags.has("-f") || flags.has("--force"))) return `it throws away changes (git ${sub})`;
  if (sub === "branch" && (flags.has("-D") || flags.has("-d") || flags.has("--delete"))) return "it deletes branches (git branch -d)";
  if (sub === "stash" && args.some((a) => a === "drop" || a === "clear")) return "it deletes stashed work (git stash drop/clear)";
  if (sub === "filter-branch" || sub === "filter-repo" || sub === "gc" || sub === "prune" || sub === "reflog") return `it rewrites or prunes history (git ${sub})`;
  if (sub === "worktree" && args.some((a) => a === "remove" || a === "prune")) return "it removes worktrees (git worktree remove/prune)";
  if (sub === "config" || sub === "credential") return `it changes git configuration or credentials (git ${sub})`;
  return undefined;
}
