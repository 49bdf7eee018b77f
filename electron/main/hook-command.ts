// What hooks installed from the menu-bar app run: the stable link to the CLI it ships, or in a development run this
// checkout's bin/otto-tray on the node found on PATH. Pure apart from the file checks it is given.
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { shellQuote } from "../../core/hooks/settings";

export interface HookExecutableInput {
  /** `app.isPackaged`. */
  packaged: boolean;
  /** The stable link the app points at its CLI at each start (core/app/cli-link.ts `stableCliPath`). */
  stableLink: string;
  /** Whether that link leads to this app's CLI now (ensureStableCli succeeded). */
  stableLinkCurrent: boolean;
  /** The CLI inside this app: `<resources>/cli/bin/otto-tray` (it brings its own Node). */
  shippedCli: string;
  /** This checkout's bin/otto-tray, for a development run (`npm start`). */
  checkoutBin: string;
  /** `$PATH` of the app's process. */
  pathEnv: string | undefined;
  /** Whether a path is an executable file (tests pass their own). */
  isExecutable?: (path: string) => boolean;
}

function executableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `node` on `pathEnv` (absolute directories only: a hook runs from another working directory). */
export function nodeOnPath(pathEnv: string | undefined, isExecutable: (path: string) => boolean = executableFile): string | undefined {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, "node");
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Shell text that runs otto-tray for hooks, or undefined when the app knows none (then "Install hooks" is refused and
 * the popover says to run `otto-tray hooks install` from a shell). The packaged app uses its stable link, which it
 * re-points at itself at every start so hooks survive the app being moved; when that link is not ours (a file someone
 * put there), the CLI inside the bundle (works until the app moves). A development run has no CLI with its own Node:
 * the checkout's bin/otto-tray on the node on PATH, both by absolute path, as `otto-tray hooks install` writes them.
 */
export function hookExecutable(input: HookExecutableInput): string | undefined {
  const isExecutable = input.isExecutable ?? executableFile;
  if (input.packaged) return shellQuote(input.stableLinkCurrent ? input.stableLink : input.shippedCli);
  const node = nodeOnPath(input.pathEnv, isExecutable);
  if (node === undefined || !isExecutable(input.checkoutBin)) return undefined;
  return `${shellQuote(node)} ${shellQuote(input.checkoutBin)}`;
}
