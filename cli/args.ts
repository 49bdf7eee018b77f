// Argument parsing for every command: node's parseArgs plus the global options, with errors that exit 2.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../core/errors";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Options every command accepts (the CLI contract). */
export const GLOBAL_OPTIONS = {
  "bus-dir": { type: "string" },
  config: { type: "string" },
  home: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

type Merged<T extends OptionsConfig> = typeof GLOBAL_OPTIONS & T;

/** Parses `argv` strictly; unknown options and missing values become UsageErrors naming the argument. */
export function parseCommandArgs<T extends OptionsConfig>(argv: string[], options: T) {
  const config = { ...GLOBAL_OPTIONS, ...options } as OptionsConfig;
  try {
    return parseArgs({
      args: joinNegativeValues(argv, config),
      options: { ...GLOBAL_OPTIONS, ...options } as Merged<T>,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, "");
    throw new UsageError(message, "run the command with --help for its options");
  }
}

/**
 * `--pid -5` would make node's parser complain that the argument "is ambiguous"; joining it as `--pid=-5` lets
 * the option's own check say which range is allowed. Only numbers are joined, and nothing after a bare `--`.
 */
function joinNegativeValues(argv: string[], config: OptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name !== undefined && Object.hasOwn(config, name) && config[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Returns a required string option or throws a UsageError naming it. */
export function requireOption(value: string | undefined, name: string, allowed: string): string {
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`, `pass --${name} ${allowed}`);
  return value;
}

/** Parses an integer option within bounds; undefined stays undefined. */
export function parseIntOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: ${JSON.stringify(value)} is not an integer from ${min} to ${max}`);
  }
  return n;
}

/** Parses a non-negative number of seconds (fractions allowed). */
export function parseSecondsOption(value: string | undefined, name: string, max = 31_536_000): number | undefined {
  return parseAmountOption(value, name, "seconds", max);
}

/** Parses a non-negative amount (fractions allowed) in the option's own unit, which its message names. */
export function parseAmountOption(value: string | undefined, name: string, unit: "seconds" | "hours", max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > max) {
    throw new UsageError(`--${name}: ${JSON.stringify(value)} is not a number of ${unit} from 0 to ${max}`);
  }
  return n;
}

/** Parses an ISO-8601 time option. */
export function parseTimeOption(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name}: ${JSON.stringify(value)} is not an ISO-8601 time`, "e.g. 2026-05-16T07:13:00Z");
  return new Date(ms);
}

/** Rejects positionals a command does not take. */
export function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, `run otto-tray ${command} --help`);
  }
}

/** Splits `args -- cmd...` at the first bare `--`. */
export function splitAtDoubleDash(argv: string[]): { before: string[]; after: string[] | undefined } {
  const index = argv.indexOf("--");
  if (index < 0) return { before: argv, after: undefined };
  return { before: argv.slice(0, index), after: argv.slice(index + 1) };
}
