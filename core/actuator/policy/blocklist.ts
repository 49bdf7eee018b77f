// The blocklist that always wins, judged on the program that really runs: deletion, privilege, disk tools, code that
// runs other code, credentials, publishing, destructive git, and writes outside the project.
import { gitVerdict, type RuleVerdict } from "./git-rules";
import { interpreterVerdict } from "./interpreters";
import { isShortCluster, longOption } from "./program-names";
import { insideProject, type WorkingDirs } from "./project-paths";
import type { RealProgram } from "./resolve-program";
import type { ShellCommand } from "./shell-syntax";

const DELETES = new Set(["rm", "rmdir", "unlink", "shred", "srm", "trash", "trash-put", "truncate", "wipe", "rimraf", "del", "del-cli", "delete"]);
const PRIVILEGE = new Set(["sudo", "doas", "su", "pkexec", "runas", "chroot", "runuser", "sudoedit"]);
const DISK_TOOLS = new Set(["dd", "fdisk", "sfdisk", "gdisk", "parted", "diskutil", "hdiutil", "mount", "umount", "wipefs", "blkdiscard", "gpt", "asr", "fsck", "tmutil", "newfs_apfs", "mkswap", "swapon", "swapoff"]);
// Programs that run another program, or code given as text, or sessions elsewhere: what they run cannot be judged.
const RUNS_OTHER_CODE = new Set([
  ...["sh", "bash", "zsh", "fish", "dash", "ksh", "mksh", "yash", "csh", "tcsh", "busybox", "toybox", "exec", "source", ".", "xargs", "env", "command", "builtin"],
  ...["nohup", "timeout", "gtimeout", "watch", "setsid", "flock", "strace", "ltrace", "dtruss", "gdb", "lldb", "script", "expect", "parallel", "unshare", "nsenter"],
  ...["chpst", "sandbox-exec", "arch", "screen", "tmux", "systemd-run", "osascript", "open", "launchctl", "crontab", "at", "batch", "ssh", "scp", "sftp", "nc", "ncat"],
  ...["socat", "telnet", "awk", "gawk", "mawk", "nawk", "sed", "gsed", "vim", "vi", "nvim", "view", "ex", "emacs", "nano", "less", "more", "man", "docker", "podman"],
]);
// Shell builtins that change how later text is read or run: the text cannot be judged.
const CHANGES_THE_SHELL = new Set(["eval", "alias", "unalias", "trap", "shopt", "set", "enable", "bind", "hash", "declare", "typeset", "local", "export", "readonly", "unset", "function", "let"]);
const CREDENTIAL_TOOLS = new Set(["security", "gpg", "gpg2", "ssh-add", "ssh-keygen", "ssh-agent", "op", "pass", "keychain", "aws", "gcloud", "az", "vault", "gh", "kubectl", "helm", "terraform", "pulumi"]);
const CREDENTIAL_PATH = /(^|[/\s=])\.(ssh|gnupg|aws|azure|kube|docker|netrc|npmrc|pypirc|git-credentials|env)(\b|$)|id_(rsa|dsa|ecdsa|ed25519)|\.(pem|key|p12|pfx|keychain(-db)?|kdbx)$|credential|secret|passw(or)?d|token|private[-_]?key/i;
const WRITES = new Set(["cp", "mv", "tee", "ln", "install", "rsync", "touch", "mkdir", "chmod", "chown", "chgrp", "patch", "tar", "unzip", "curl", "wget", "ditto", "zip", "split", "csplit", "mkfifo", "mknod"]);
const PACKAGE_MANAGERS = new Set(["npm", "pnpm", "yarn", "bun", "cargo", "gem", "twine", "poetry", "flit", "hatch", "uv", "dotnet", "pod"]);
const PUBLISHES = new Set(["publish", "unpublish", "deprecate", "dist-tag", "owner", "access", "token", "login", "adduser", "yank", "push", "upload", "trunk"]);
// Package-manager words that run a package's binary or fetch one; `npm exec` at the front is followed earlier.
const RUNS_PACKAGES = new Set(["exec", "x", "dlx", "create"]);
// Writes that never leave a trace outside the process.
const HARMLESS_TARGETS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2"]);

/** Why `command` (running `program`) must never be answered yes, or undefined when nothing blocks it. */
export function blockVerdict(command: ShellCommand, program: RealProgram, dirs: WorkingDirs): RuleVerdict {
  if (command.assignments.length > 0) return blocked("it sets variables for the command (what runs cannot be judged)");
  const { name, args } = program;
  if (CHANGES_THE_SHELL.has(name)) return { refusal: "unjudgeable", reason: `${name} changes how the shell reads or runs what follows` };
  if (PRIVILEGE.has(name)) return blocked(`it runs with more privileges (${name})`);
  if (DELETES.has(name)) return blocked(`it deletes files (${name})`);
  if (DISK_TOOLS.has(name) || /^(mkfs|newfs|fsck)/.test(name)) return blocked(`it is a disk tool (${name})`);
  if (RUNS_OTHER_CODE.has(name)) return blocked(`it runs other code that cannot be judged (${name})`);
  if (CREDENTIAL_TOOLS.has(name)) return blocked(`it handles credentials, keys or remote infrastructure (${name})`);
  const credential = [...command.argv, ...args, ...command.redirects.map((r) => r.target ?? "")].find((w) => CREDENTIAL_PATH.test(w));
  if (credential !== undefined) return blocked(`it touches credentials or keys (${credential})`);
  const inline = interpreterVerdict(name, args);
  if (inline !== undefined) return inline;
  if (name === "find") {
    const action = args.find((a) => ["-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls"].includes(a));
    if (action !== undefined) return blocked(`it deletes, writes or runs commands on found files (find ${action})`);
  }
  if (name === "git") {
    const git = gitVerdict(args, dirs);
    if (git !== undefined) return git;
  }
  if (PACKAGE_MANAGERS.has(name)) {
    const verdict = packageManagerVerdict(name, args, dirs);
    if (verdict !== undefined) return verdict;
  }
  const outside = command.redirects.find((r) => r.writes && r.target !== undefined && !HARMLESS_TARGETS.has(r.target) && !insideProject(r.target, dirs));
  if (outside?.target !== undefined) return blocked(`it writes outside the project (${outside.target})`);
  if (WRITES.has(name) || (name === "perl" && args.some((a) => isShortCluster(a) && a.includes("i")))) {
    const path = pathLikeValues(args).find((a) => !insideProject(a, dirs));
    if (path !== undefined) return blocked(`it writes outside the project (${path})`);
  }
  return undefined;
}

function blocked(reason: string): RuleVerdict {
  return { refusal: "blocked", reason };
}

// Publishing, global installs, package runners reached through options, and directories outside the project.
function packageManagerVerdict(name: string, args: readonly string[], dirs: WorkingDirs): RuleVerdict {
  const words = args.filter((a) => !a.startsWith("-"));
  const publish = words.find((w) => PUBLISHES.has(w));
  if (publish !== undefined && (name !== "cargo" || publish !== "push")) return blocked(`it publishes to a package registry or changes its accounts (${name} ${publish})`);
  if (["npm", "pnpm", "yarn", "bun"].includes(name)) {
    const runner = words.find((w) => RUNS_PACKAGES.has(w));
    if (runner !== undefined) return { refusal: "unjudgeable", reason: `${name} ${runner} runs a package's binary in a way Otto Tray does not follow (put it first: ${name} ${runner} BIN)` };
    if (args.some((a) => ["-g", "--global", "--location=global"].includes(a)) || (args.includes("--location") && args[args.indexOf("--location") + 1] === "global")) {
      return blocked(`it installs or changes packages outside the project (${name} --global)`);
    }
  }
  for (let i = 0; i < args.length; i++) {
    const { name: option, value } = longOption(args[i] ?? "");
    if (["--prefix", "--cwd", "--dir", "-C", "--manifest-path", "--target-dir", "--root"].includes(option)) {
      const dir = value ?? args[i + 1];
      if (dir === undefined || !insideProject(dir, dirs)) return blocked(`it works on a directory outside the project (${name} ${option} ${dir ?? ""})`);
    }
  }
  return undefined;
}

// Every argument that may name a file: plain words, `--opt=VALUE` values and attached short values (`-t/dir`).
function pathLikeValues(args: readonly string[]): string[] {
  const values: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("--")) {
      const { value } = longOption(arg);
      if (value !== undefined) values.push(value);
    } else if (isShortCluster(arg)) {
      const attached = arg.slice(2);
      if (/[/.~]/.test(attached)) values.push(attached);
    } else if (arg !== "-") values.push(arg);
  }
  return values;
}
