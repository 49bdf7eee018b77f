// Options every `otto-tray pool` subcommand shares, and the preference defaults behind them.
import { resolve } from "node:path";
import { shellQuote } from "../../../core/hooks/settings";
import { describeSweep, type OverflowSweep, type ReleaseResult, type RescueReport } from "../../../core/pool/index";
import { parseCommandArgs } from "../../args";
import { type CliIO, resolveContext } from "../../context";

/** Options shared by the pool subcommands. */
export const POOL_OPTIONS = {
  repo: { type: "string" },
  "pool-root": { type: "string" },
  identity: { type: "string" },
  json: { type: "boolean" },
} as const;

/** What the preferences add to the command line (the command line wins). */
export interface PoolDefaults {
  repo: string | undefined;
  poolRoot: string | undefined;
  env: NodeJS.ProcessEnv;
  defaultSize: number | undefined;
  defaultBase: string | undefined;
  identities: string[];
  gitTimeoutSeconds: number | undefined;
}

/** Reads the preferences only when a file exists (keeps allocate fast) and merges them under the options. */
export async function poolDefaults(
  values: { repo?: string | undefined; "pool-root"?: string | undefined; config?: string | undefined; home?: string | undefined },
  io: CliIO,
): Promise<PoolDefaults> {
  // Preferences (and zod) load only when a file exists: allocate stays fast without one.
  const context = resolveContext(values, io.env, (line) => io.stderr.write(line));
  const prefs = context.prefsFile === undefined ? undefined : await context.prefs();
  return {
    repo: values.repo ?? prefs?.repo,
    poolRoot: values["pool-root"] ?? prefs?.poolRoot,
    env: io.env,
    defaultSize: prefs?.poolSize,
    defaultBase: prefs?.baseRef,
    identities: prefs?.identities ?? [],
    gitTimeoutSeconds: prefs?.gitTimeoutSeconds,
  };
}

/**
 * The options that name this pool again, for a command line printed as a hint: it then finds the same pool when run
 * as printed (from here), whatever the current directory or preferences say. Paths absolute and quoted for sh.
 */
export function samePoolOptions(values: { repo?: string | undefined; "pool-root"?: string | undefined; config?: string | undefined; home?: string | undefined }): string {
  const words: string[] = [];
  for (const name of ["repo", "pool-root", "config", "home"] as const) {
    const value = values[name];
    if (value !== undefined && value !== "") words.push(`--${name}`, shellQuote(resolve(value)));
  }
  return words.length === 0 ? "" : ` ${words.join(" ")}`;
}

/** Parses a subcommand's arguments with the shared pool options. */
export function parsePoolArgs<T extends Parameters<typeof parseCommandArgs>[1]>(argv: string[], options: T) {
  return parseCommandArgs(argv, { ...POOL_OPTIONS, ...options });
}

/** Tells a person (on stderr) where earlier unsaved work was saved; JSON output carries the same list. */
export function reportRescues(io: CliIO, rescued: readonly RescueReport[]): void {
  for (const r of rescued) {
    const what = r.uncommitted ? "uncommitted changes and commits" : "commits on no branch";
    io.stderr.write(`otto-tray pool: saved ${what} from ${r.path} to branch ${r.branch} (${r.commit.slice(0, 12)}) before reset\n`);
  }
}

/** Tells a person (on stderr) which free overflow sideticks an allocation removed or kept, and where their work went. */
export function reportSwept(io: CliIO, swept: OverflowSweep): void {
  for (const line of describeSweep(swept)) io.stderr.write(`otto-tray pool: ${line}\n`);
}

/** What happens to the work a released sidetick holds: kept there, then saved to a rescue branch before any reset. */
export function leftBehind(result: ReleaseResult, values: Parameters<typeof samePoolOptions>[0] & { identity?: string | undefined }): string {
  const identity = values.identity ?? "ID";
  const what = (result.unsaved ?? "").replace(/^unsaved: /, "");
  return (
    `${result.path} holds unsaved work (${what}): it stays there; the next allocation of this sidetick (or pool doctor --fix) ` +
    `saves it to a branch otto-rescue/${identity}/… before resetting it (otto-tray pool rescued --identity ${identity}${samePoolOptions(values)} lists them)`
  );
}
