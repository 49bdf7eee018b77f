// The audit log stays bounded: big logs are read from their end within a byte bound, full logs rotate, and a log that cannot be read is an error, never an empty list.
import { execFileSync } from "node:child_process";
import { appendFileSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { runTsSnippet } from "../../../test-support/run-ts";
import { boundsMeter } from "../../diagnostics/bounds-meter";
import { AUDIT_READ_MAX_BYTES, AUDIT_ROTATION, type AuditEntry, appendAudit, auditFile, readAudit, readAuditTail } from "./audit-log";
import { ensureActuatorDir } from "./private-dir";

const entry = (reason: string): AuditEntry => ({ at: "2026-05-16T07:00:00.000Z", surface: "otto-cli", backend: "pty", event: "refuse", prompt: null, decision: "refused", reason });
const line = (reason: string) => `${JSON.stringify(entry(reason))}\n`;

/** Bytes this process has read so far (Linux), to check a read's cost from outside the code under test. */
function readChars(): number | undefined {
  try {
    return Number(/^rchar: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1]);
  } catch {
    return undefined;
  }
}

/** A home whose audit log is `zeroBytes` of zeros (a hole: written in no time) followed by `lines`. */
function homeWithBigLog(zeroBytes: number, lines: string[]): string {
  const home = makeTempDir("otto-audit-big-");
  ensureActuatorDir(home);
  const fd = openSync(auditFile(home), "w", 0o600);
  closeSync(fd);
  execFileSync("truncate", ["-s", String(zeroBytes), auditFile(home)]);
  appendFileSync(auditFile(home), `\n${lines.join("")}`);
  return home;
}

describe("reading the audit log", () => {
  it("reads the newest entries of a 600 MB log from its end, within its byte bound", () => {
    const home = homeWithBigLog(600 * 1024 * 1024, [line("old"), line("newer"), line("newest")]);
    const before = readChars();
    expect(readAudit(home, 2).map((e) => e.reason)).toEqual(["newer", "newest"]);
    const after = readChars();
    if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(2 * AUDIT_READ_MAX_BYTES);
    const reading = boundsMeter.snapshot()["audit.readBytes"];
    expect(reading?.bound).toBe(AUDIT_READ_MAX_BYTES);
    expect(reading?.highWater).toBeLessThanOrEqual(AUDIT_READ_MAX_BYTES);
  });

  it("stops at the byte bound when the entries asked for are not near the end, and says it was cut", () => {
    const home = homeWithBigLog(600 * 1024 * 1024, [line("only")]);
    const read = readAuditTail(home, 5);
    expect(read.entries.map((e) => e.reason)).toEqual(["only"]);
    expect(read.cut).toBe(true);
    expect(boundsMeter.snapshot()["audit.readBytes"]?.highWater).toBeLessThanOrEqual(AUDIT_READ_MAX_BYTES);
  });

  it("finds every entry of 50 MB of real lines near the end, whatever the chunk boundaries", () => {
    const home = makeTempDir("otto-audit-real-");
    ensureActuatorDir(home);
    const block = Array.from({ length: 1000 }, (_, i) => line(`r${i} ${"x".repeat(i % 97)}`)).join("");
    const fd = openSync(auditFile(home), "w", 0o600);
    for (let written = 0; written < 50 * 1024 * 1024; written += block.length) appendFileSync(fd, block);
    closeSync(fd);
    const reasons = readAudit(home, 1000).map((e) => e.reason.split(" ")[0]);
    expect(reasons).toEqual(Array.from({ length: 1000 }, (_, i) => `r${i}`));
    expect(boundsMeter.snapshot()["audit.readBytes"]?.highWater).toBeLessThanOrEqual(AUDIT_READ_MAX_BYTES);
  });

  it("throws, naming the file, when a directory, a FIFO or another user's file is where the log goes", () => {
    const dirHome = makeTempDir("otto-audit-dir-");
    mkdirSync(auditFile(dirHome), { recursive: true });
    expect(() => readAudit(dirHome, 5)).toThrow(`${auditFile(dirHome)} is not a regular file`);

    const fifoHome = makeTempDir("otto-audit-fifo-");
    ensureActuatorDir(fifoHome);
    execFileSync("mkfifo", [auditFile(fifoHome)]);
    expect(() => readAudit(fifoHome, 5)).toThrow(`${auditFile(fifoHome)} is not a regular file`);

    if (process.getuid?.() === 0) {
      const otherHome = makeTempDir("otto-audit-other-");
      appendAudit(otherHome, entry("theirs"));
      chownSync(auditFile(otherHome), 65534, 65534);
      expect(() => readAudit(otherHome, 5)).toThrow(`${auditFile(otherHome)} is owned by uid 65534, not by you`);
    }
  });

  it("reads nothing from a missing log", () => {
    expect(readAudit(makeTempDir("otto-audit-none-"), 5)).toEqual([]);
  });
});

describe("writing the audit log", () => {
  it("moves a full log aside before appending, keeps its generations and reads across them", () => {
    const home = makeTempDir("otto-audit-rotate-");
    ensureActuatorDir(home);
    const filler = line("f".repeat(1000));
    writeFileSync(auditFile(home), `${filler.repeat(Math.ceil(AUDIT_ROTATION.maxBytes / filler.length))}${line("last before")}`, { mode: 0o600 });
    appendAudit(home, entry("first after"));
    expect(statSync(`${auditFile(home)}.1`).size).toBeGreaterThan(AUDIT_ROTATION.maxBytes);
    expect(readFileSync(auditFile(home), "utf8")).toBe(line("first after"));
    expect(readAudit(home, 2).map((e) => e.reason)).toEqual(["last before", "first after"]);

    // Each full log shifts the generations; the oldest beyond the kept ones is dropped.
    for (let i = 0; i < AUDIT_ROTATION.generations + 2; i++) {
      writeFileSync(auditFile(home), filler.repeat(Math.ceil(AUDIT_ROTATION.maxBytes / filler.length) + 1), { flag: "a" });
      appendAudit(home, entry(`after ${i}`));
    }
    for (let n = 1; n <= AUDIT_ROTATION.generations; n++) expect(existsSync(`${auditFile(home)}.${n}`)).toBe(true);
    expect(existsSync(`${auditFile(home)}.${AUDIT_ROTATION.generations + 1}`)).toBe(false);
  });

  it("appends to a 600 MB log without reading it, moving it aside", () => {
    const home = homeWithBigLog(600 * 1024 * 1024, [line("old")]);
    const before = readChars();
    appendAudit(home, entry("new"));
    const after = readChars();
    if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(64 * 1024);
    expect(readFileSync(auditFile(home), "utf8")).toBe(line("new"));
    expect(readAudit(home, 2).map((e) => e.reason)).toEqual(["old", "new"]);
  });

  it("refuses a FIFO where the log goes, at once, naming it", () => {
    const home = makeTempDir("otto-audit-fifo-write-");
    ensureActuatorDir(home);
    execFileSync("mkfifo", [auditFile(home)]);
    // In a child with a deadline: a writer that blocked opening the FIFO would hang this process for good.
    const script = `import { appendAudit } from ${JSON.stringify(join(import.meta.dirname, "audit-log.ts"))};
try { appendAudit(${JSON.stringify(home)}, { at: "t", surface: null, backend: null, event: "x", prompt: null, decision: "info", reason: "r" }); console.log("written"); }
catch (error) { console.log(error.message); }`;
    const result = runTsSnippet(script);
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toBe(`the audit log ${auditFile(home)} is not a regular file`);
  });
});
