// `otto-tray pool`: dispatches the pool subcommands (thin over core/pool); shared options live in pool/options.ts.
import { ExitCode, UsageError } from "../../core/errors";
import type { CliIO } from "../context";
import { unknownNameHint } from "../suggest";

const USAGE = `usage: otto-tray pool <subcommand> [options]

  init      [--repo DIR] --identity ID [--size N] [--base REF]
  allocate  [--repo DIR] --identity ID [--branch NAME] [--holder-pid PID] [--ttl SECONDS] [--wait SECONDS] [--json]
  release   [--repo DIR] --identity ID --lease ID [--path DIR]      (--lease defaults to $OTTO_POOL_LEASE)
  renew     [--repo DIR] --identity ID --lease ID [--ttl SECONDS]
  with      [--repo DIR] --identity ID [--branch NAME] [--wait SECONDS] -- CMD [ARGS...]
  status    [--repo DIR] [--identity ID] [--json]
  refresh   [--repo DIR] --identity ID
  prune     [--repo DIR] [--dry-run] [--min-age SECONDS] [--include-ignored] [--json]
  doctor    [--repo DIR] [--identity ID] [--fix [--force]] [--json]
  rescued   [--repo DIR] [--identity ID] [--json] | --delete BRANCH

--repo DIR: any directory of the repository (default: the repository of the current directory)
every subcommand: --pool-root DIR (default ~/.zeta-worktrees/<repo name>-<hash>), --config FILE, --home DIR
leases: allocate prints the path on stdout and "lease: ID" on stderr; without --holder-pid a lease runs out
  after --ttl (default 24 h); a live holder keeps its lease whatever the TTL
exit codes: 0 ok, 1 failure, 2 usage, 3 no free sidetick within --wait, 4 repository or git error,
  5 refused to protect work or safety (a lease that is not yours, a repair that needs --force),
  6 problems found and left (doctor)
`;

type Sub = (argv: string[], io: CliIO) => Promise<number>;

const SUBCOMMANDS: Record<string, () => Promise<Sub>> = {
  init: async () => (await import("./pool/maintain")).runInit,
  allocate: async () => (await import("./pool/lease")).runAllocate,
  release: async () => (await import("./pool/lease")).runRelease,
  renew: async () => (await import("./pool/lease")).runRenew,
  with: async () => (await import("./pool/with")).runWith,
  status: async () => (await import("./pool/maintain")).runStatus,
  refresh: async () => (await import("./pool/maintain")).runRefresh,
  prune: async () => (await import("./pool/maintain")).runPrune,
  doctor: async () => (await import("./pool/maintain")).runDoctor,
  rescued: async () => (await import("./pool/rescued")).runRescued,
};

/** The subcommands, for the dispatcher's error prefix. */
export const subcommands = Object.keys(SUBCOMMANDS);

/** Entry of `otto-tray pool`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const load = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (load === undefined) throw new UsageError(`unknown subcommand ${JSON.stringify(name)}`, unknownNameHint(name, subcommands, "otto-tray pool --help"));
  return (await load())(rest, io);
}

export { USAGE as POOL_USAGE };
