// Error types that carry an exit code and a hint, so adapters can report failures without guessing.

/** Exit codes shared by every `otto-tray` command. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  noFreeSidetick: 3,
  git: 4,
  /** Refused to protect work or safety: a lease that is not yours, a repair that needs --force, an actuator refusal. */
  refused: 5,
  /** Problems found and left in place (e.g. `pool doctor` without --fix). */
  problemsLeft: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: a failure the user can act on, with the exit code the CLI should return. */
export class OttoError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
  }
}

/** Bad arguments or invalid input: names what was wrong and what is allowed (exit 2). */
export class UsageError extends OttoError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/** Describes any thrown value in one line, for logs and messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
