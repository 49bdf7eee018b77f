// Runs git: one bounded process group per call, no shell, no hooks, errors carrying arguments and result; retries transient lock failures.
import { spawn } from "node:child_process";
import { GitError, type GitResult, GitTimeoutError } from "./errors";
import { gitEnv, POOL_GIT_OPTIONS } from "./git-env";

/** Options of one git call. */
export interface GitOptions {
  /** Exit codes that count as success (default: 0 only); other codes throw a GitError. */
  okExitCodes?: readonly number[];
  /** Extra environment (merged over the cleaned process environment). */
  env?: Record<string, string>;
  /** Text written to stdin. */
  input?: string;
  /** End git (its whole process group) after this long (default: {@link gitTimeoutMs}). */
  timeoutMs?: number;
}

/** Default bound of one git call: generous enough for a large checkout (preference `gitTimeoutSeconds`). */
export const DEFAULT_GIT_TIMEOUT_SECONDS = 600;
let defaultTimeoutMs = DEFAULT_GIT_TIMEOUT_SECONDS * 1000;

/** Sets the bound of every later git call that names none (the CLI passes the preference `gitTimeoutSeconds`). */
export function setGitTimeoutSeconds(seconds: number): void {
  if (!(seconds > 0)) throw new RangeError(`git timeout must be more than 0 seconds, not ${seconds}`);
  defaultTimeoutMs = seconds * 1000;
}

/** The bound of a git call that names none, in milliseconds. */
export function gitTimeoutMs(): number {
  return defaultTimeoutMs;
}

/**
 * Runs `git args` in `cwd` with hooks and fsmonitor off; resolves with the result, or throws a GitError unless the
 * exit code is allowed. Git runs in its own process group: a call that outlives its bound is ended with everything
 * it started (a hanging filter, credential helper or ssh), and the error names the command.
 */
export function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...POOL_GIT_OPTIONS, ...args], { cwd, env: gitEnv(options.env), stdio: ["pipe", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (cause) => {
      clearTimeout(timer);
      reject(new GitError(`cannot run git ${args[0] ?? ""} in ${cwd}: ${cause.message}`, { args, cwd, cause }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: GitResult = { exitCode: code ?? 128, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      if (timedOut) return reject(new GitTimeoutError(args, cwd, timeoutMs, result));
      if ((options.okExitCodes ?? [0]).includes(result.exitCode) && signal === null) return resolve(result);
      const why = signal !== null ? `killed by ${signal}` : firstLine(result.stderr) || `exit code ${result.exitCode}`;
      reject(new GitError(`git ${args.join(" ")} failed: ${why}`, { args, cwd, result }));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

// The group id is git's pid (detached: git leads a new group); a group that is gone already needs nothing.
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Exited meanwhile.
  }
}

function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

// Failures that another git process causes for a moment: its lock files and pack-directory contention.
const TRANSIENT = [
  /\.lock['"]?: File exists/i,
  /Unable to create '.*\.lock'/i,
  /cannot lock ref/i,
  /could not lock/i,
  /unable to write (new )?index file/i,
  /failed to (read|write) object/i,
  /unable to (create|rename) temporary/i,
  /packed-refs/i,
  /could not (open|read) .*(pack|objects)/i,
];

/** True when a GitError looks like a transient collision with another git process. */
export function isTransientGitError(error: unknown): boolean {
  // A call that hung once would hang again: ending it is final.
  if (!(error instanceof GitError) || error instanceof GitTimeoutError || error.result === undefined) return false;
  return TRANSIENT.some((re) => re.test(error.result?.stderr ?? ""));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs git, retrying transient lock/pack failures with exponential backoff and jitter. */
export async function runGitRetrying(cwd: string, args: readonly string[], options: GitOptions & { attempts?: number } = {}): Promise<GitResult> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runGit(cwd, args, options);
    } catch (error) {
      if (attempt >= attempts || !isTransientGitError(error)) throw error;
      await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
