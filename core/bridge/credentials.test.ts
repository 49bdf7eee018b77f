// The bridge's credentials file, with real files: each accepted form, and every way it must be refused by name.
import { execFileSync } from "node:child_process";
import { chmodSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { readBridgeCredentials } from "./credentials";

const SEED = `SU${"A".repeat(56)}`;

function credsFile(text: string, mode = 0o600): string {
  const file = join(makeTempDir("otto-creds-"), "bridge.creds");
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

describe("bridge credentials", () => {
  it("reads an nkey seed, a .creds file and user/password JSON", () => {
    expect(readBridgeCredentials(credsFile(`# laptop\n${SEED}\n`))).toEqual({ kind: "nkey", seed: SEED });
    const creds = `-----BEGIN NATS USER JWT-----\neyJ0\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${SEED}\n------END USER NKEY SEED------\n`;
    expect(readBridgeCredentials(credsFile(creds))).toEqual({ kind: "creds", text: creds.trim() });
    expect(readBridgeCredentials(credsFile('{"user":"mac","password":"s3cret"}'))).toEqual({ kind: "user", user: "mac", password: "s3cret" });
  });

  it("refuses a file others can read, saying how to fix it", () => {
    const file = credsFile(SEED, 0o644);
    expect(() => readBridgeCredentials(file)).toThrow(`--creds: ${file} can be read by others (mode 644)`);
    try {
      readBridgeCredentials(file);
    } catch (error) {
      expect((error as { hint: string }).hint).toBe(`chmod 600 ${file}`);
    }
  });

  it("refuses a missing file, a FIFO, another owner's file, and what holds no credentials", () => {
    const dir = makeTempDir("otto-creds-");
    expect(() => readBridgeCredentials(join(dir, "none"))).toThrow(/none cannot be opened \(ENOENT\)/);
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", ["-m", "600", fifo]);
    expect(() => readBridgeCredentials(fifo)).toThrow(/fifo is not a regular file/);
    expect(() => readBridgeCredentials(credsFile(SEED), 4242)).toThrow(/is owned by uid \d+, not by you/);
    expect(() => readBridgeCredentials(credsFile("SUnot-a-seed"))).toThrow(/holds no nkey user seed/);
    expect(() => readBridgeCredentials(credsFile('{"user":"mac"}'))).toThrow(/must hold a non-empty "user" and "password"/);
    expect(() => readBridgeCredentials(credsFile("{nope"))).toThrow(/is not valid JSON/);
  });

  it("follows a link to the file it names, judging that file", () => {
    const target = credsFile(SEED);
    const link = join(makeTempDir("otto-creds-"), "link");
    symlinkSync(target, link);
    expect(readBridgeCredentials(link)).toEqual({ kind: "nkey", seed: SEED });
  });
});
