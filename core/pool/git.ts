// Runs git: one process per call, no shell, errors carrying arguments and result; retries transient lock failures.
import { spawn } from "node:child_process";
import { GitError, type GitResult } from "./errors";

/** Options of one git call. */
export interface GitOptions {
  /** Exit codes that count as success (default: 0 only); other codes throw a GitError. */
  okExitCodes?: readonly number[];
  /** Extra environment (merged over the cleaned process environment). */
  env?: Record<string, string>;
  /** Text written to stdin. */
  input?: string;
  /** Kill git after this long (default: none). */
  timeoutMs?: number;
}

// Variables a calling git hook may have set; inherited, they would point every call at the wrong repository.
const REPO_ENV = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE"];

function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPO_ENV) delete env[name];
  // English messages, so transient failures can be recognised; never prompt for credentials.
  env.LC_ALL = "C";
  env.GIT_TERMINAL_PROMPT = "0";
  return { ...env, ...extra };
}

/** Runs `git args` in `cwd`; resolves with the result, or throws a GitError unless the exit code is allowed. */
export function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env: gitEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (cause) => {
      if (timer) clearTimeout(timer);
      reject(new GitError(`cannot run git ${args[0] ?? ""} in ${cwd}: ${cause.message}`, { args, cwd, cause }));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: GitResult = { exitCode: code ?? 128, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      if ((options.okExitCodes ?? [0]).includes(result.exitCode) && signal === null) return resolve(result);
      const why = signal !== null ? `killed by ${signal}` : firstLine(result.stderr) || `exit code ${result.exitCode}`;
      reject(new GitError(`git ${args.join(" ")} failed: ${why}`, { args, cwd, result }));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
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
  if (!(error instanceof GitError) || error.result === undefined) return false;
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
