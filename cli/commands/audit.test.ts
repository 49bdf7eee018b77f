// `otto-tray audit` on logs that are huge or cannot be read: the newest entries within a bound, or a non-zero exit that names the file.
import { execFileSync } from "node:child_process";
import { appendFileSync, chownSync, closeSync, mkdirSync, openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";
import { appendAudit, auditFile } from "../../core/actuator/state/audit-log";
import { ensureActuatorDir } from "../../core/actuator/state/private-dir";

const entry = (reason: string) => ({ at: "2026-05-16T07:00:00.000Z", surface: "otto-cli", backend: "pty", event: "refuse", prompt: null, decision: "refused" as const, reason });

describe("otto-tray audit", () => {
  it("shows the newest entries of a 600 MB log, and says when its read bound cut older lines", () => {
    const home = makeTempDir("otto-audit-cli-big-");
    ensureActuatorDir(home);
    closeSync(openSync(auditFile(home), "w", 0o600));
    execFileSync("truncate", ["-s", String(600 * 1024 * 1024), auditFile(home)]);
    appendFileSync(auditFile(home), `\n${["a", "b", "c"].map((r) => JSON.stringify(entry(r))).join("\n")}\n`);
    const two = runCli(["audit", "--json", "--limit", "2", "--home", home]);
    expect(two.code).toBe(0);
    expect((JSON.parse(two.stdout) as { reason: string }[]).map((e) => e.reason)).toEqual(["b", "c"]);
    expect(two.stderr).toBe("");
    const many = runCli(["audit", "--json", "--limit", "10", "--home", home]);
    expect(many.code).toBe(0);
    expect((JSON.parse(many.stdout) as { reason: string }[]).map((e) => e.reason)).toEqual(["a", "b", "c"]);
    expect(many.stderr).toContain(`older lines stay unread in ${auditFile(home)}`);
  });

  it("exits non-zero naming the file when a directory, a FIFO or another user's file is where the log goes", () => {
    const dirHome = makeTempDir("otto-audit-cli-dir-");
    mkdirSync(auditFile(dirHome), { recursive: true });
    const dir = runCli(["audit", "--home", dirHome]);
    expect(dir.code).toBe(1);
    expect(dir.stdout).toBe("");
    expect(dir.stderr).toContain(`otto-tray audit: the audit log cannot be read: ${auditFile(dirHome)} is not a regular file`);

    const fifoHome = makeTempDir("otto-audit-cli-fifo-");
    ensureActuatorDir(fifoHome);
    execFileSync("mkfifo", [auditFile(fifoHome)]);
    const fifo = runCli(["audit", "--home", fifoHome], { timeoutMs: 20_000 });
    expect(fifo.signal).toBeNull();
    expect(fifo.code).toBe(1);
    expect(fifo.stderr).toContain(`${auditFile(fifoHome)} is not a regular file`);

    if (process.getuid?.() === 0) {
      const otherHome = makeTempDir("otto-audit-cli-other-");
      appendAudit(otherHome, entry("theirs"));
      chownSync(auditFile(otherHome), 65534, 65534);
      const other = runCli(["audit", "--home", otherHome]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`${auditFile(otherHome)} is owned by uid 65534, not by you`);
    }
  });
});
