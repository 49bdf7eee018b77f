// Durable atomic writes: the file is fsynced before the rename and its directory after it (seen with strace where present).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { writeFileAtomic } from "./atomic-write";

const hasStrace = spawnSync("strace", ["-V"], { stdio: "ignore" }).status === 0;
const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");

// Runs one write in a child under strace and returns the syscalls that matter, in order.
function traceWrite(dir: string, durable: boolean): string[] {
  const script = `import { writeFileAtomic } from ${JSON.stringify(join(process.cwd(), "core/fs/atomic-write.ts"))}; writeFileAtomic(${JSON.stringify(join(dir, "record.json"))}, "{}\\n", { durable: ${durable} });`;
  const log = join(dir, `strace-${durable}.txt`);
  const r = spawnSync("strace", ["-f", "-e", "trace=openat,fsync,rename,renameat,renameat2", "-o", log, tsx, "-e", script], { encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return straceEvents(readFileSync(log, "utf8"), dir);
}

/**
 * The log's calls one per line, without the pid. With -f, a call another thread interrupts is logged as
 * `PID NAME(args <unfinished ...>` and later `PID <... NAME resumed>rest`: the halves are joined per pid.
 */
function joinSplitCalls(log: string): string[] {
  const unfinished = new Map<string, string>();
  const calls: string[] = [];
  for (const raw of log.split("\n")) {
    const [, pid = "", line = raw] = /^(?:\[pid\s+)?(\d+)\]?\s+(.*)$/.exec(raw) ?? [];
    const start = /^(.*?)\s*<unfinished \.\.\.>$/.exec(line);
    if (start !== null) {
      unfinished.set(pid, start[1] ?? "");
      continue;
    }
    const resumed = /^<\.\.\. [\w]+ resumed>\s?(.*)$/.exec(line);
    if (resumed !== null) {
      const head = unfinished.get(pid);
      unfinished.delete(pid);
      if (head !== undefined) calls.push(`${head}${resumed[1] ?? ""}`);
      continue;
    }
    calls.push(line);
  }
  return calls;
}

/** The syscalls on `dir` and the files in it, in order: opening them, fsync of those fds, the rename to record.json. */
function straceEvents(log: string, dir: string): string[] {
  // Keep only what touches the target directory: opening it or a file in it, fsync of those fds, the rename.
  const fds = new Map<string, string>();
  const events: string[] = [];
  for (const line of joinSplitCalls(log)) {
    const open = /openat\(AT_FDCWD, "([^"]+)", [^)]*\)\s+=\s+(\d+)/.exec(line);
    if (open?.[1]?.startsWith(dir) && !open[1].includes("strace-")) {
      const what = open[1] === dir ? "dir" : "file";
      fds.set(open[2] ?? "", what);
      events.push(`open ${what}`);
    }
    const sync = /fsync\((\d+)\)\s+=\s+0/.exec(line);
    if (sync !== null && fds.has(sync[1] ?? "")) events.push(`fsync ${fds.get(sync[1] ?? "")}`);
    if (/rename(at2?)?\(.*record\.json"/.test(line)) events.push("rename");
  }
  return events;
}

describe("writeFileAtomic", () => {
  it("writes the whole content under the final name", () => {
    const dir = makeTempDir();
    writeFileAtomic(join(dir, "a.json"), "[1]\n", { durable: true });
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("[1]\n");
  });

  it.skipIf(!hasStrace)("durable: fsyncs the file before the rename and the directory after it", () => {
    const dir = makeTempDir();
    expect(traceWrite(dir, true)).toEqual(["open file", "fsync file", "rename", "open dir", "fsync dir"]);
    expect(traceWrite(dir, false)).toEqual(["open file", "rename"]);
  });
});

describe("the strace log parser", () => {
  // Recorded shape of `strace -f -o` on a busy machine: threads interleave, so a call is split into
  // "<unfinished ...>" and "<... NAME resumed>" lines of its own pid, other pids' lines in between.
  const DIR = "/tmp/otto-test-Ab12Cd";
  const SPLIT = [
    `4242  execve("/usr/bin/node", ["node", "script.mjs"], 0x7ffc /* 20 vars */) = 0`,
    `4242  openat(AT_FDCWD, "${DIR}/.record.json.tmp-4242-ab12cd34", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644 <unfinished ...>`,
    `4250  openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 22`,
    `4242  <... openat resumed>) = 21`,
    `4242  fsync(21 <unfinished ...>`,
    `4251  fsync(7 <unfinished ...>`,
    `4250  futex(0x55d0c8, FUTEX_WAKE_PRIVATE, 1) = 0`,
    `4251  <... fsync resumed>) = 0`,
    `4242  <... fsync resumed>) = 0`,
    `4242  renameat2(AT_FDCWD, "${DIR}/.record.json.tmp-4242-ab12cd34", AT_FDCWD, "${DIR}/record.json", 0 <unfinished ...>`,
    `4250  openat(AT_FDCWD, "${DIR}", O_RDONLY|O_CLOEXEC <unfinished ...>`,
    `4242  <... renameat2 resumed>) = 0`,
    `4250  <... openat resumed>) = 23`,
    `4250  fsync(23 <unfinished ...>`,
    `4251  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---`,
    `4250  <... fsync resumed>) = 0`,
    `4250  +++ exited with 0 +++`,
    `4242  +++ exited with 0 +++`,
  ].join("\n");

  it("joins each pid's unfinished and resumed halves: openat, fsync and rename split by other threads", () => {
    expect(straceEvents(SPLIT, DIR)).toEqual(["open file", "fsync file", "rename", "open dir", "fsync dir"]);
  });

  it("reads the same calls unsplit", () => {
    const whole = [
      `4242  openat(AT_FDCWD, "${DIR}/.record.json.tmp-4242-ab12cd34", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644) = 21`,
      `4242  fsync(21) = 0`,
      `4242  rename("${DIR}/.record.json.tmp-4242-ab12cd34", "${DIR}/record.json") = 0`,
      `4242  openat(AT_FDCWD, "${DIR}", O_RDONLY|O_CLOEXEC) = 23`,
      `4242  fsync(23) = 0`,
    ].join("\n");
    expect(straceEvents(whole, DIR)).toEqual(["open file", "fsync file", "rename", "open dir", "fsync dir"]);
  });

  it("does not take a failed call for a done one", () => {
    const failed = [`4242  fsync(21 <unfinished ...>`, `4242  openat(AT_FDCWD, "${DIR}/x", O_RDONLY) = 21`, `4242  <... fsync resumed>) = -1 EIO (Input/output error)`].join("\n");
    expect(straceEvents(failed, DIR)).toEqual(["open file"]);
  });
});
