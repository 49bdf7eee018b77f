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
  // Keep only what touches the target directory: opening it or a file in it, fsync of those fds, the rename.
  const fds = new Map<string, string>();
  const events: string[] = [];
  for (const line of readFileSync(log, "utf8").split("\n")) {
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
