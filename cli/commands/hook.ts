// `otto-tray hook`: the command door onto the hook handler (core/hooks/handler.ts): event on stdin, answer on stdout, always exit 0.
import { parseArgs } from "node:util";
import { busBeforePrefs, busFromPrefs } from "../../core/app/paths";
import { resolveHomeDir } from "../../core/bus/paths";
import { describeError } from "../../core/errors";
import { isSurfaceId } from "../../core/ids";
import { performance } from "node:perf_hooks";
import { appendHookLog, appendHookLogAsync, type HookLogRecord } from "../../core/hooks/log";
import { readBounded } from "../../core/hooks/read-input";
import { handleHookEvent } from "../../core/hooks/handler";
import { GLOBAL_OPTIONS } from "../args";
import { AGENTS, type Agent } from "../../core/agents";
import type { Prefs } from "../../core/prefs/schema";
import { type CliIO, resolveContext } from "../context";

/** Events larger than this are not read whole (the top-level fields are recovered from the head). */
export const HOOK_STDIN_MAX_BYTES = 1024 * 1024;
/** Claude Code closes stdin right after writing; past this, the handler gives up waiting (well inside the deadline). */
export const HOOK_STDIN_TIMEOUT_MS = 1000;
/**
 * Hard bound on the whole handler, counted from process start: Claude Code runs it on every tool call, so
 * whatever hangs (a bus on a dead mount, a FIFO, a bug) it exits 0 by then and logs why.
 */
export const HOOK_DEADLINE_MS = 2000;
// Time the deadline path gives its own log line before exiting regardless.
const DEADLINE_LOG_GRACE_MS = 250;

export const USAGE = `usage: otto-tray hook --surface ID [--pid N] [--agent NAME]

Claude Code hook handler: reads the hook event JSON on stdin and publishes a heartbeat for
surface ID on the bus. Installed by \`otto-tray hooks install --surface ID\`; not meant to be run by hand.

  --surface ID   the surface the heartbeat is for (also the sender id)
  --pid N        Claude Code's process id (the installer passes "$PPID"), for liveness
  --agent NAME   the agent sending the event: claude-code (default), codex or gemini (the installer passes it;
                 without it, the surface's agent in the preferences)

Always exits 0 and prints nothing (unless it ever returns a decision to Claude Code), within
${HOOK_DEADLINE_MS / 1000} s whatever happens; its own errors (and a deadline it hit) go to
<home>/logs/hook.log as JSON lines.
`;

const OPTIONS = {
  ...GLOBAL_OPTIONS,
  surface: { type: "string" },
  pid: { type: "string" },
  agent: { type: "string" },
} as const;

function parsePid(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) return undefined;
  const pid = Number(value);
  return pid >= 1 && pid <= 2 ** 31 - 1 ? pid : undefined;
}

function timeoutFrom(env: NodeJS.ProcessEnv): number {
  // Only tests shorten it; anything unparseable keeps the default.
  const value = Number(env.OTTO_TRAY_HOOK_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 && value <= 60_000 ? value : HOOK_STDIN_TIMEOUT_MS;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  // `claude --worktree`'s hooks answer Claude Code (a path, or a refusal), so they have their own door.
  const worktreeHook = argv[0];
  if (worktreeHook === "worktree-create" || worktreeHook === "worktree-remove" || worktreeHook === "worktree-keep") {
    return (await import("./hook-worktree")).run(worktreeHook, argv.slice(1), io);
  }
  // Lenient parse: unknown options must not make the handler noisy; they are logged instead.
  let values: { surface?: string | undefined; pid?: string | undefined; agent?: string | undefined; home?: string | undefined; "bus-dir"?: string | undefined; config?: string | undefined; help?: boolean | undefined } = {};
  let argProblem: string | undefined;
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true });
    const raw = parsed.values;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    values = { surface: str(raw.surface), pid: str(raw.pid), agent: str(raw.agent), home: str(raw.home), "bus-dir": str(raw["bus-dir"]), config: str(raw.config), help: raw.help === true };
    const unknown = Object.keys(raw).filter((key) => !Object.hasOwn(OPTIONS, key));
    if (unknown.length > 0 || parsed.positionals.length > 0) argProblem = `unexpected arguments: ${JSON.stringify(argv)}`;
  } catch (error) {
    argProblem = `cannot parse arguments: ${describeError(error)}`;
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }

  let homeDir: string | undefined;
  const log = (record: HookLogRecord) => {
    try {
      homeDir ??= resolveHomeDir(values.home, io.env);
      appendHookLog(homeDir, record);
    } catch {
      // Nowhere left to report to; staying silent is the contract.
    }
  };
  const guard = (error: unknown) => {
    log({ level: "error", message: `uncaught: ${describeError(error)}`, surface: values.surface });
    process.exitCode = 0;
  };
  process.on("uncaughtException", guard);
  process.on("unhandledRejection", guard);

  // Every file-system call below is asynchronous, so this timer fires even when one never returns.
  let stage = "reading the event on stdin";
  const deadline = setTimeout(() => {
    const record: HookLogRecord = { level: "error", message: `deadline: the handler did not finish within ${HOOK_DEADLINE_MS} ms (stuck ${stage}); exited 0`, surface: values.surface, code: "EDEADLINE" };
    let logged: Promise<unknown> = Promise.resolve();
    try {
      homeDir ??= resolveHomeDir(values.home, io.env);
      logged = appendHookLogAsync(homeDir, record);
    } catch {
      // No home to log to: exit all the same.
    }
    const exit = () => process.exit(0);
    setTimeout(exit, DEADLINE_LOG_GRACE_MS).unref();
    void logged.finally(exit);
  }, Math.max(0, HOOK_DEADLINE_MS - performance.now()));
  deadline.unref();

  try {
    const input = await readBounded(process.stdin, { maxBytes: HOOK_STDIN_MAX_BYTES, timeoutMs: timeoutFrom(io.env) });
    if (argProblem !== undefined) log({ level: "warn", message: argProblem, surface: values.surface });
    const surface = values.surface;
    if (!isSurfaceId(surface)) {
      log({ level: "error", message: `--surface: ${JSON.stringify(surface ?? null)} is not a valid surface id; nothing published` });
      return 0;
    }
    if (input.timedOut) log({ level: "warn", message: `stdin did not close within the deadline (${input.bytes} bytes read)`, surface });

    stage = "loading the configuration";
    const context = resolveContext(values, io.env);
    homeDir = context.homeDir;
    // Preferences (and zod with them) load only when a file exists that could change the answer.
    let prefs: Prefs | undefined;
    let prefsProblem: string | undefined;
    if (context.prefsFile !== undefined) {
      try {
        prefs = await context.prefs();
        // A bad key falls back alone; one in the actuator section may leave a wider policy than the person's: fail closed.
        for (const p of await context.prefsProblems()) log({ level: "warn", message: `preferences: ${p.line}`, surface });
        prefsProblem = (await context.actuatorPrefsProblem()) ?? undefined;
      } catch (error) {
        prefsProblem = describeError(error);
        log({ level: "warn", message: `preferences unusable (${prefsProblem}); using the defaults, but the actuator answers nothing until they are fixed`, surface });
      }
    }
    // The rule every process uses (core/app/paths.ts): --bus-dir, $ZETA_BUS_DIR, preferences, /tmp/zeta-bus.
    const busDir = (busBeforePrefs(values["bus-dir"], io.env) ?? busFromPrefs(prefs?.busDir)).busDir;

    stage = "handling the event";
    const controller = new AbortController();
    const pid = parsePid(values.pid);
    const agent = hookAgent(values.agent, prefs?.surfaces.find((s) => s.id === surface)?.agent, (message) => log({ level: "warn", message, surface }));
    const { output } = await handleHookEvent({
      text: input.text,
      truncated: input.truncated,
      surface,
      pid,
      agent,
      homeDir: context.homeDir,
      busDir,
      prefs,
      prefsProblem,
      signal: controller.signal,
      log,
      onStage: (now) => (stage = now),
      onLongWait: (seconds) => {
        // The PermissionRequest wait has its own bound; Claude Code's SIGTERM (Esc on the dialog) ends it at once.
        clearTimeout(deadline);
        setTimeout(() => process.exit(0), (seconds + 5) * 1000).unref();
        process.once("SIGTERM", () => controller.abort());
      },
    });
    if (output !== "") io.stdout.write(output);
  } catch (error) {
    log({ level: "error", message: `hook failed: ${describeError(error)}`, surface: values.surface });
  }
  clearTimeout(deadline);
  return 0;
}

/** `--agent` when it names an agent, else the surface's agent in the preferences, else Claude Code; a bad value is logged. */
function hookAgent(given: string | undefined, fromPrefs: Agent | undefined, warn: (message: string) => void): Agent {
  if (given !== undefined) {
    if ((AGENTS as readonly string[]).includes(given)) return given as Agent;
    warn(`--agent: ${JSON.stringify(given)} is not one of ${AGENTS.join(", ")}; using the preferences' agent`);
  }
  return fromPrefs ?? "claude-code";
}
