// The hook log: JSON lines under <home>/logs, one rotated generation, and silence when it cannot be written.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { runTsSnippet } from "../../test-support/run-ts";
import { appendHookLog, appendHookLogAsync, HOOK_LOG_MAX_BYTES, hookLogPath } from "./log";

describe("appendHookLog", () => {
  it("appends JSON lines, creating the logs directory", () => {
    const home = join(makeTempDir(), "home");
    expect(appendHookLog(home, { level: "error", message: "one", surface: "otto-cli" }, new Date("2026-05-16T07:00:00Z"))).toBe(true);
    expect(appendHookLog(home, { level: "warn", message: "two" })).toBe(true);
    const lines = readFileSync(hookLogPath(home), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([{ time: "2026-05-16T07:00:00.000Z", level: "error", message: "one", surface: "otto-cli" }, { message: "two" }]);
    expect(statSync(hookLogPath(home)).mode & 0o777).toBe(0o600);
  });

  it("moves a full log aside to hook.log.1", () => {
    const home = makeTempDir();
    appendHookLog(home, { level: "warn", message: "old" });
    writeFileSync(hookLogPath(home), "x".repeat(HOOK_LOG_MAX_BYTES + 1));
    appendHookLog(home, { level: "warn", message: "new" });
    expect(readFileSync(hookLogPath(home), "utf8")).toContain('"new"');
    expect(statSync(`${hookLogPath(home)}.1`).size).toBe(HOOK_LOG_MAX_BYTES + 1);
  });

  it("moves a full log aside on the deadline path too", async () => {
    const home = makeTempDir();
    appendHookLog(home, { level: "warn", message: "old" });
    writeFileSync(hookLogPath(home), "x".repeat(HOOK_LOG_MAX_BYTES + 1));
    expect(await appendHookLogAsync(home, { level: "warn", message: "new" })).toBe(true);
    expect(readFileSync(hookLogPath(home), "utf8")).toContain('"new"');
    expect(statSync(`${hookLogPath(home)}.1`).size).toBe(HOOK_LOG_MAX_BYTES + 1);
  });

  it("gives up at once, on both paths, when a FIFO is where the log goes", () => {
    const home = makeTempDir();
    mkdirSync(join(home, "logs"));
    execFileSync("mkfifo", [hookLogPath(home)]);
    // In a child with a deadline: a writer blocked opening the FIFO for a reader would hang this process for good.
    const script = `import { appendHookLog, appendHookLogAsync } from ${JSON.stringify(join(import.meta.dirname, "log.ts"))};
console.log(appendHookLog(${JSON.stringify(home)}, { level: "error", message: "sync" }), await appendHookLogAsync(${JSON.stringify(home)}, { level: "error", message: "async" }));`;
    const result = runTsSnippet(script);
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe("false false");
  });

  it("returns false instead of throwing when the home is under a regular file", () => {
    const root = makeTempDir();
    writeFileSync(join(root, "plain"), "x");
    expect(appendHookLog(join(root, "plain", "home"), { level: "error", message: "lost" })).toBe(false);
  });
});
