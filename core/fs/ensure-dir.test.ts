// The bounded mkdir -p: creates missing levels, and ends with an error where node's recursive mkdir spins.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { ensureDir, ensureDirSync } from "./ensure-dir";

describe("ensureDirSync / ensureDir", () => {
  it("creates every missing level, private, and accepts an existing directory", async () => {
    const root = makeTempDir();
    ensureDirSync(join(root, "a", "b", "c"));
    ensureDirSync(join(root, "a", "b", "c"));
    await ensureDir(join(root, "x", "y"));
    expect(statSync(join(root, "a", "b", "c")).isDirectory()).toBe(true);
    expect(statSync(join(root, "x", "y")).mode & 0o777).toBe(0o700);
  });

  it("ends with an error under /proc, where recursive mkdir loops forever", async () => {
    expect(() => ensureDirSync("/proc/nope/deeper")).toThrow();
    await expect(ensureDir("/proc/nope/deeper")).rejects.toThrow();
  });

  it("fails on a file in the way", () => {
    const root = makeTempDir();
    writeFileSync(join(root, "file"), "");
    expect(() => ensureDirSync(join(root, "file", "sub"))).toThrow(/ENOTDIR/);
    expect(existsSync(join(root, "file", "sub"))).toBe(false);
  });
});
