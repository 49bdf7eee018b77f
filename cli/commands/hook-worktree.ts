// `otto-tray hook worktree-create | worktree-remove | worktree-keep`: Claude Code's `--worktree` hooks, served by the pool.
import { spawn } from "node:child_process";
import { describeError, OttoError } from "../../core/errors";
import { isSurfaceId } from "../../core/ids";
import { appendHookLog } from "../../core/hooks/log";
import { readBounded } from "../../core/hooks/read-input";
import { describeSweep } from "../../core/pool/overflow-sweep";
import { createSessionWorktree, keepSessionWorktrees, removeSessionWorktree } from "../../core/pool/worktree-hook";
import { parseCommandArgs } from "../args";
import { type CliIO, resolveContext } from "../context";
import { poolDefaults } from "./pool/options";

/** The hook subcommands this file serves, each for one Claude Code event. */
export const WORKTREE_HOOKS = ["worktree-create", "worktree-remove", "worktree-keep"] as const;
export type WorktreeHook = (typeof WORKTREE_HOOKS)[number];

/** A worktree hook's event is a few hundred bytes; anything near this is not Claude Code's. */
const STDIN_MAX_BYTES = 64 * 1024;
/** Claude Code closes stdin right after writing the event. */
const STDIN_TIMEOUT_MS = 5000;

const USAGE = `usage: otto-tray hook worktree-create|worktree-remove|worktree-keep --surface ID [--pid N]

Claude Code's WorktreeCreate, WorktreeRemove and SessionEnd hooks for \`claude --worktree NAME\`,
installed by \`otto-tray hooks install --surface ID --worktrees\`; not meant to be run by hand.
worktree-create prints the path of a sidetick leased from the pool of the repository in the
event's cwd (identity ID, new branch NAME, held by Claude Code's process --pid); worktree-remove
rescues unsaved work to an otto-rescue/ branch and frees the sidetick; worktree-keep (SessionEnd)
turns the session's lease into a 24-hour lease with no holder. A refusal exits non-zero with one line.
`;

/** The fields of the hook event these hooks read. */
interface WorktreeEvent {
  sessionId: string | null;
  cwd: string | null;
  name: string | null;
  worktreePath: string | null;
}

function parseEvent(text: string): WorktreeEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OttoError("the hook event on stdin is not JSON (expected Claude Code's WorktreeCreate/WorktreeRemove/SessionEnd event)");
  }
  const v = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const str = (x: unknown) => (typeof x === "string" && x !== "" ? x : null);
  return { sessionId: str(v.session_id), cwd: str(v.cwd), name: str(v.name), worktreePath: str(v.worktree_path) };
}

function parsePid(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) return undefined;
  const pid = Number(value);
  return pid >= 1 && pid <= 2 ** 31 - 1 ? pid : undefined;
}

// Claude Code shows the hook's stderr to the person: one line, no stack, no hint block.
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Entry of the three worktree hooks (dispatched from `otto-tray hook`). */
export async function run(hook: WorktreeHook, argv: string[], io: CliIO): Promise<number> {
  let values: ReturnType<typeof parseArgs>["values"];
  try {
    ({ values } = parseArgs(argv));
  } catch (error) {
    io.stderr.write(`otto-tray hook ${hook}: ${oneLine(describeError(error))}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    if (!isSurfaceId(values.surface)) throw new OttoError(`--surface ${JSON.stringify(values.surface ?? null)} is not a surface id`);
    const input = await readBounded(process.stdin, { maxBytes: STDIN_MAX_BYTES, timeoutMs: STDIN_TIMEOUT_MS });
    if (input.truncated) throw new OttoError(`the hook event on stdin is larger than ${STDIN_MAX_BYTES} bytes: not Claude Code's`);
    const event = parseEvent(input.text);
    const defaults = await poolDefaults({ config: values.config, home: values.home }, io);
    const pid = parsePid(values.pid);
    if (hook === "worktree-create") return await create(values.surface, event, pid, defaults, argv, io);
    if (hook === "worktree-remove") return await remove(values.surface, event, defaults, io);
    return await keep(values.surface, event, defaults, values, io);
  } catch (error) {
    if (hook === "worktree-keep") return 0;
    io.stderr.write(`otto-tray: ${oneLine(describeError(error))}\n`);
    return error instanceof OttoError ? error.exitCode : 1;
  }
}

function parseArgs(argv: string[]) {
  return parseCommandArgs(argv, { surface: { type: "string" }, pid: { type: "string" } });
}

type Defaults = Awaited<ReturnType<typeof poolDefaults>>;

async function create(surface: string, event: WorktreeEvent, pid: number | undefined, defaults: Defaults, argv: string[], io: CliIO): Promise<number> {
  if (event.cwd === null) throw new OttoError("the WorktreeCreate event names no cwd (the repository): no worktree made");
  if (event.name === null) throw new OttoError("the WorktreeCreate event names no worktree name: no worktree made");
  const made = await createSessionWorktree({ ...defaults, repo: event.cwd, identity: surface, name: event.name, sessionId: event.sessionId, holderPid: pid });
  if (made.overflow) io.stderr.write(`otto-tray: every sidetick of ${surface} was leased: made one more, ${made.allocation.sidetick} (removed again once this session gives it back)\n`);
  for (const r of made.allocation.rescued) io.stderr.write(`otto-tray: saved earlier work from ${r.path} to branch ${r.branch}\n`);
  for (const line of describeSweep(made.allocation.swept)) io.stderr.write(`otto-tray: ${line}\n`);
  if (made.firstUse) fillInBackground(made.allocation.path, surface, made.base, argv, io);
  io.stdout.write(`${made.allocation.path}\n`);
  return 0;
}

/** Makes the rest of a new pool after the hook has answered: a detached `pool init` nobody waits for. */
function fillInBackground(repo: string, surface: string, base: string | undefined, argv: string[], io: CliIO): void {
  const script = process.argv[1];
  if (script === undefined) return;
  const passOn: string[] = [];
  for (const flag of ["--config", "--home"]) {
    const at = argv.indexOf(flag);
    const value = at >= 0 ? argv[at + 1] : undefined;
    if (value !== undefined) passOn.push(flag, value);
  }
  try {
    const child = spawn(process.execPath, [script, "pool", "init", "--repo", repo, "--identity", surface, ...(base === undefined ? [] : ["--base", base]), ...passOn], {
      detached: true,
      stdio: "ignore",
      env: io.env,
    });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // The first sidetick is made; the rest come with the next `pool init` or allocation.
  }
}

async function remove(surface: string, event: WorktreeEvent, defaults: Defaults, io: CliIO): Promise<number> {
  if (event.worktreePath === null) throw new OttoError("the WorktreeRemove event names no worktree_path: nothing removed");
  const { repo: _repo, ...rest } = defaults;
  const done = await removeSessionWorktree({ ...rest, identity: surface, worktreePath: event.worktreePath, sessionId: event.sessionId });
  for (const r of done.rescued) io.stderr.write(`otto-tray: saved the unsaved work of ${done.path} to branch ${r.branch} (otto-tray pool rescued lists it)\n`);
  return 0;
}

// SessionEnd fires for every session: it stays silent and exits 0 whatever happens, logging only a real failure.
async function keep(surface: string, event: WorktreeEvent, defaults: Defaults, values: { home?: string | undefined; config?: string | undefined }, io: CliIO): Promise<number> {
  if (event.cwd === null || event.sessionId === null) return 0;
  try {
    await keepSessionWorktrees({ ...defaults, repo: event.cwd, identity: surface, sessionId: event.sessionId });
  } catch (error) {
    // Not a repository, or no pool: nothing was leased for this session.
    if (error instanceof OttoError && !/not inside a git repository|not a git repository/i.test(error.message)) {
      appendHookLog(resolveContext(values, io.env).homeDir, { level: "warn", message: `worktree-keep: ${describeError(error)}`, surface });
    }
  }
  return 0;
}
