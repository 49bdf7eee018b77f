// `pool with -- CMD`: runs CMD in its own process group in a sidetick leased until CMD and all it started have ended.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { UsageError } from "../../../core/errors";
import { allocate, attachGroup, release } from "../../../core/pool/index";
import { lingering } from "../../../core/pool/leases";
import { systemChecks } from "../../../core/pool/system-checks";
import { processRef } from "../../../core/process-liveness";
import { noPositionals, parseSecondsOption, requireOption, splitAtDoubleDash } from "../../args";
import type { CliIO } from "../../context";
import { leftBehind, parsePoolArgs, poolDefaults, reportRescues, reportSwept } from "./options";

// SIGWINCH too: CMD has no controlling terminal of its own (a new session), so a resize reaches it only through us.
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

// CMD starts only once its process group is in the lease record: the shell (which becomes CMD by exec, same pid and
// group) waits for a line on fd 3. If this wrapper dies first, fd 3 ends without one and CMD never runs.
const GATE = 'read _ <&3 || exit 125; exec 3<&-; exec "$@"';

/** `otto-tray pool with`. */
export async function runWith(argv: string[], io: CliIO): Promise<number> {
  const { before, after } = splitAtDoubleDash(argv);
  const { values, positionals } = parsePoolArgs(before, { branch: { type: "string" }, wait: { type: "string" }, base: { type: "string" }, ttl: { type: "string" } });
  if (values.help) {
    io.stdout.write("usage: otto-tray pool with [--repo DIR] --identity ID [--branch NAME] [--wait SECONDS] -- CMD [ARGS...]\n");
    return 0;
  }
  noPositionals(positionals, "pool with");
  const [command, ...args] = after ?? [];
  if (command === undefined || command === "") throw new UsageError("pool with needs a command after --", "e.g. otto-tray pool with --identity ID -- npm test");
  const defaults = await poolDefaults(values, io);
  const identity = requireOption(values.identity, "identity", "ID");
  // This process is the holder, and CMD's process group is recorded with the lease: if this wrapper dies (even by
  // SIGKILL) the sidetick stays held until CMD and everything it started have ended, then comes free by itself.
  const allocation = await allocate({
    ...defaults,
    identity,
    base: values.base,
    branch: values.branch,
    holderPid: process.pid,
    ttlSeconds: parseSecondsOption(values.ttl, "ttl"),
    waitSeconds: parseSecondsOption(values.wait, "wait"),
  });
  reportRescues(io, allocation.rescued);
  reportSwept(io, allocation.swept);
  let group: number | undefined;
  try {
    const env = { ...io.env, OTTO_POOL_PATH: allocation.path, OTTO_POOL_LEASE: allocation.leaseId, OTTO_POOL_IDENTITY: identity };
    const code = await runChild(command, args, allocation.path, env, io, async (pgid) => {
      group = pgid;
      return attachGroup({ ...defaults, identity, leaseId: allocation.leaseId, group: processRef(pgid) });
    });
    return code;
  } finally {
    // Background jobs CMD left behind (its process group), or anything else working in the sidetick, keep it held.
    const still = lingering({ leaseId: allocation.leaseId, group: group === undefined ? null : { pid: group } }, systemChecks()(allocation.path), identity);
    if (still !== undefined) {
      io.stderr.write(`otto-tray pool with: ${allocation.path} stays held: ${still}; it comes free by itself when they end\n`);
    } else {
      const released = await release({ ...defaults, identity, leaseId: allocation.leaseId });
      if (released.note !== null) io.stderr.write(`otto-tray pool with: ${released.note}\n`);
      if (released.unsaved !== null) io.stderr.write(`otto-tray pool with: ${leftBehind(released, { ...values, identity })}\n`);
    }
  }
}

/**
 * Runs CMD in a new session and process group (its pid is the group id), hands `record` the group before letting
 * CMD start, forwards signals to the whole group, and resolves with CMD's exit code (128 + signal when killed).
 */
function runChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, io: CliIO, record: (pgid: number) => Promise<boolean>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", GATE, "otto-tray pool with", command, ...args], { cwd, env, stdio: ["inherit", "inherit", "inherit", "pipe"], detached: true });
    const gate = child.stdio[3] as NodeJS.WritableStream | null;
    gate?.on("error", () => undefined);
    const forward = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    let settled = false;
    // 'exit' may or may not follow an 'error'; settle once.
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(code);
    };
    child.on("error", (error) => {
      io.stderr.write(`otto-tray pool with: cannot run ${JSON.stringify(command)}: ${error.message}\n`);
      done(127);
    });
    child.on("exit", (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    if (child.pid === undefined) return;
    record(child.pid).then(
      (recorded) => {
        if (!recorded) io.stderr.write("otto-tray pool with: the lease was lost before the command started; not running it\n");
        gate?.end(recorded ? "go\n" : "");
      },
      (error: unknown) => {
        // Unrecorded, a killed wrapper would free the sidetick under a running CMD: fail closed, CMD does not start.
        io.stderr.write(`otto-tray pool with: cannot record the command's process group, not running it: ${(error as Error).message}\n`);
        gate?.end("");
      },
    );
  });
}
