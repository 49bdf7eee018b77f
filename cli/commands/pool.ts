// `otto-tray pool`: dispatches the pool subcommands (thin over core/pool); shared options live in pool/options.ts.
import { ExitCode, UsageError } from "../../core/errors";
import type { CliIO } from "../context";
import { unknownNameHint } from "../suggest";

const USAGE = `usage: otto-tray pool <subcommand> [options]

  init      --repo DIR --identity ID [--size N] [--base REF]
  allocate  --repo DIR --identity ID [--branch NAME] [--holder-pid PID] [--ttl SECONDS] [--wait SECONDS] [--json]
  release   --repo DIR --identity ID (--path DIR | --lease ID)
  renew     --repo DIR --identity ID --lease ID [--ttl SECONDS]
  with      --repo DIR --identity ID [--branch NAME] [--wait SECONDS] -- CMD [ARGS...]
  status    --repo DIR [--identity ID] [--json]
  refresh   --repo DIR --identity ID
  prune     --repo DIR [--dry-run] [--min-age SECONDS] [--include-ignored] [--json]
  doctor    --repo DIR [--fix] [--json]
  rescued   --repo DIR [--identity ID] [--json] | --delete BRANCH

every subcommand: --pool-root DIR (default ~/.zeta-worktrees/<repo name>), --config FILE, --home DIR
exit codes: 0 ok, 2 bad input, 3 no free sidetick within --wait, 4 repository or git error, 1 other
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
