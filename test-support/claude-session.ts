// A real Claude Code session for the real-Claude tests: a throwaway repository, and Claude Code started in tmux at its idle prompt.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, GIT_TEST_ENV } from "./git";
import { Terminal } from "./terminal";

/** Claude Code 2.1.330's idle prompt: the input box and its "? for shortcuts" footer. */
export const CLAUDE_IDLE_SCREEN = /❯[^\S\n]*\n─+\n[^\n]*\? for shortcuts/;

/** `root/repo`: a git repository on main with one commit of a README (plus `files`, paths relative to it). */
export function makeThrowawayRepo(root: string, files: Record<string, string> = {}): string {
  const repo = join(root, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
  writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
  for (const [path, text] of Object.entries(files)) {
    execFileSync("mkdir", ["-p", join(repo, path, "..")]);
    writeFileSync(join(repo, path), text);
  }
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "init"]);
  return repo;
}

/** Starts Claude Code (exec'd, so the pane's pid is Claude Code's) in a tmux terminal and waits for its idle prompt. */
export async function startClaudeAtPrompt(options: { root: string; bin: string; repo: string; env: NodeJS.ProcessEnv }): Promise<Terminal> {
  const terminal = Terminal.start({ dir: options.root, command: `exec ${options.bin}`, cwd: options.repo, env: options.env });
  await terminal.waitForScreen(CLAUDE_IDLE_SCREEN, "Claude Code's idle prompt", 90_000);
  return terminal;
}
