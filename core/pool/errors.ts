// Errors of the worktree pool: git failures carry their arguments and result; each maps to a CLI exit code.
import { ExitCode, OttoError } from "../errors";

/** What a finished git process returned. */
export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A git command failed (or could not start): keeps the arguments, directory and result (exit 4). */
export class GitError extends OttoError {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly result: GitResult | undefined;
  constructor(message: string, details: { args: readonly string[]; cwd: string; result?: GitResult; hint?: string; cause?: unknown }) {
    super(message, {
      exitCode: ExitCode.git,
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.args = details.args;
    this.cwd = details.cwd;
    this.result = details.result;
  }
}

/** A repository problem that is not one git command's failure (not a repository, no base ref) (exit 4). */
export class RepoError extends OttoError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.git, ...(hint === undefined ? {} : { hint }) });
  }
}

/** Every sidetick of the identity stayed leased for the whole wait (exit 3). */
export class NoFreeSidetickError extends OttoError {
  readonly identity: string;
  /** `notes`: why sideticks are held other than by a live lease (an unreadable record…), one line each. */
  constructor(identity: string, size: number, waitSeconds: number, notes: readonly string[] = []) {
    const why = notes.map((note) => `\n  ${note}`).join("");
    super(`no free sidetick for ${identity}: all ${size} are leased${waitSeconds > 0 ? ` (waited ${waitSeconds}s)` : ""}${why}`, {
      exitCode: ExitCode.noFreeSidetick,
      hint: `release one (otto-tray pool release --identity ${identity} --lease ID), pass --wait SECONDS, or grow the pool (otto-tray pool init --identity ${identity} --size N)`,
    });
    this.identity = identity;
  }
}

/**
 * A lease id that no sidetick of the identity holds now (released, or run out and handed to someone else): the
 * release or renewal is refused and nothing is freed, so a stale holder cannot take a sidetick from its new one (exit 5).
 */
export class LeaseNotFoundError extends OttoError {
  constructor(what: string, identity: string) {
    super(`${what} does not hold a sidetick in the pool of ${identity} now: refused, nothing freed`, {
      exitCode: ExitCode.refused,
      hint: "it was released already, or it ran out and the sidetick went to another holder, or its record is unreadable (check otto-tray pool status)",
    });
  }
}

/** A lock could not be taken within its bound (exit 1). */
export class LockTimeoutError extends OttoError {
  constructor(path: string, timeoutMs: number, holder: string) {
    super(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for the lock ${path} (${holder})`, {
      hint: "each git call under it is bounded by gitTimeoutSeconds, so retry; if it stays held, look for a stuck otto-tray process",
    });
  }
}

/** A git command did not finish within its bound and was ended with its whole process group (exit 4). */
export class GitTimeoutError extends GitError {
  constructor(args: readonly string[], cwd: string, timeoutMs: number, result: GitResult) {
    super(`git ${args.join(" ")} (in ${cwd}) did not finish within ${Math.round(timeoutMs / 1000)}s and was ended with everything it started`, {
      args,
      cwd,
      result,
      hint: "something it runs hangs (a clean/smudge filter, a credential helper, ssh, a slow disk); fix that, or raise gitTimeoutSeconds in the preferences",
    });
  }
}

/** Refused to act because acting would lose work or break safety; the work is left as it was (exit 5). */
export class RefusedError extends OttoError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.refused, ...(hint === undefined ? {} : { hint }) });
  }
}
