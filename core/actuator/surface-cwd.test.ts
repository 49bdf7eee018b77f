// Claude Code's session record, read for a surface's working directory, is read within a bound and never waited on.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { makeTempDir } from "../../test-support/temp";
import { runTsSnippet } from "../../test-support/run-ts";
import { sessionRecordPath, surfaceWorkingDir } from "./surface-cwd";

function world() {
  const { bus } = makeBus();
  const claude = makeTempDir("otto-claude-config-");
  mkdirSync(join(claude, "sessions"));
  // This process stands in for Claude Code: alive, with a pid the heartbeat reports and no cwd of its own.
  writeHeartbeat(bus, "otto-cli", { status: "alive", event: "Notification", pid: process.pid });
  return { bus, env: { CLAUDE_CONFIG_DIR: claude }, record: sessionRecordPath({ CLAUDE_CONFIG_DIR: claude }, process.pid) };
}

describe("surfaceWorkingDir and Claude Code's session records", () => {
  it("reads the cwd from a session record", () => {
    const w = world();
    writeFileSync(w.record, JSON.stringify({ pid: process.pid, cwd: "/work/project" }));
    expect(surfaceWorkingDir(w.bus, "otto-cli", w.env)).toMatchObject({ cwd: "/work/project" });
  });

  it("ignores an oversized record, and a FIFO in its place at once", () => {
    const w = world();
    writeFileSync(w.record, JSON.stringify({ pid: process.pid, cwd: "/work/project", padding: "x".repeat(1024 * 1024) }));
    expect(surfaceWorkingDir(w.bus, "otto-cli", w.env)).toMatchObject({ cwd: null });

    const f = world();
    execFileSync("mkfifo", [f.record]);
    // In a child with a deadline: a reader blocked opening the FIFO for a writer would hang this process for good.
    const script = `import { surfaceWorkingDir } from ${JSON.stringify(join(import.meta.dirname, "surface-cwd.ts"))};
console.log(JSON.stringify(surfaceWorkingDir(${JSON.stringify(f.bus)}, "otto-cli", ${JSON.stringify(f.env)})));`;
    const result = runTsSnippet(script);
    expect(result.signal).toBeNull();
    expect(JSON.parse(result.stdout)).toMatchObject({ cwd: null });
  });
});
