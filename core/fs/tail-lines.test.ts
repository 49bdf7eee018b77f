// Reading lines from the end: whole lines across chunk and file boundaries, a torn first line dropped, the byte bound kept, failures named.
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { readTailLines } from "./tail-lines";

const options = (maxItems: number, maxBytes = 1024 * 1024) => ({ maxItems, maxBytes, uid: process.getuid?.(), parse: (line: string) => (line.startsWith("#") ? undefined : line) });

describe("readTailLines", () => {
  it("returns the newest lines first, across chunks and then older files, skipping what parse refuses", () => {
    const dir = makeTempDir();
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${"y".repeat(i % 200)}`);
    writeFileSync(join(dir, "log.1"), `${lines.slice(0, 1500).join("\n")}\n`);
    writeFileSync(join(dir, "log"), `${lines.slice(1500).join("\n")}\n# a comment\n\n`);
    const read = readTailLines([join(dir, "log"), join(dir, "log.1"), join(dir, "log.2")], options(2000));
    expect(read.ok && read.items).toEqual(lines.slice(-2000).reverse());
    expect(read.ok && read.cut).toBe(false);
  });

  it("reads a last line with no newline, and drops the line the byte bound cuts", () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "log"), `${"a".repeat(100)}\nbb\ncc`);
    const read = readTailLines([join(dir, "log")], options(10, 50));
    expect(read).toEqual({ ok: true, items: ["cc", "bb"], bytesRead: 50, cut: true });
  });

  it("names a file that is not a regular file instead of reading it as empty", () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, "log.1"));
    execFileSync("mkfifo", [join(dir, "fifo")]);
    symlinkSync(join(dir, "elsewhere"), join(dir, "link"));
    expect(readTailLines([join(dir, "log"), join(dir, "log.1")], options(5))).toMatchObject({ ok: false, reason: `${join(dir, "log.1")} is not a regular file` });
    expect(readTailLines([join(dir, "fifo")], options(5))).toMatchObject({ ok: false, reason: `${join(dir, "fifo")} is not a regular file` });
    expect(readTailLines([join(dir, "link")], options(5))).toMatchObject({ ok: false, reason: `${join(dir, "link")} is a symlink (not followed)` });
  });
});
