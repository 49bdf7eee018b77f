// `pool with -- CMD`: runs CMD in a sidetick leased for exactly its life; signals go to CMD, its exit code comes back.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { UsageError } from "../../../core/errors";
import { allocate, release } from "../../../core/pool/index";
import { noPositionals, parseSecondsOption, requireOption, splitAtDoubleDash } from "../../args";
import type { CliIO } from "../../context";
import { parsePoolArgs, poolDefaults, reportRescues } from "./options";

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

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
  // This process is the holder: if it dies, even by SIGKILL, its pid dies with it and the sidetick is free again.
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
  try {
    return await runChild(command, args, allocation.path, {
      ...io.env,
      OTTO_POOL_PATH: allocation.path,
      OTTO_POOL_LEASE: allocation.leaseId,
      OTTO_POOL_IDENTITY: identity,
    }, io);
  } finally {
    const released = await release({ ...defaults, identity, leaseId: allocation.leaseId });
    if (released.note !== null) io.stderr.write(`otto-tray pool with: ${released.note}\n`);
  }
}

function runChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, io: CliIO): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    let settled = false;
    // 'exit' may or may not follow an 'error'; settle once.
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      watchdog?.end("done\n");
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(code);
    };
    child.on("error", (error) => {
      io.stderr.write(`otto-tray pool with: cannot run ${JSON.stringify(command)}: ${error.message}\n`);
      done(127);
    });
    child.on("exit", (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}

// The lease ends when this wrapper dies, even by SIGKILL; so must CMD and what it started (a shell's `npm test`),
// or they would share the sidetick with the next holder. A small shell in its own session blocks reading a pipe
// from us: EOF without "done" means we died. It collects CMD's process tree (pgrep -P, on Linux and macOS)
// before signalling, since the tree falls apart once CMD is gone.
const WATCHDOG = [
  'read line; [ "$line" = done ] && exit 0',
  'tree() { for c in $(pgrep -P "$1" 2>/dev/null); do tree "$c"; done; echo "$1"; }',
  'pids=$(tree "$1")',
  "kill -TERM $pids 2>/dev/null; sleep 2; kill -KILL $pids 2>/dev/null; exit 0",
].join("\n");

function startWatchdog(pid: number): NodeJS.WritableStream | undefined {
  try {
    const dog = spawn("/bin/sh", ["-c", WATCHDOG, "otto-pool-watchdog", String(pid)], { stdio: ["pipe", "ignore", "ignore"], detached: true });
    dog.on("error", () => undefined);
    dog.stdin.on("error", () => undefined);
    dog.unref();
    // The pipe must not keep this process alive once CMD is done.
    (dog.stdin as unknown as { unref?: () => void }).unref?.();
    return dog.stdin;
  } catch {
    return undefined;
  }
}
