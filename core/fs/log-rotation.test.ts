// Log rotation: generations shift and the oldest goes, only under the rotation lock, and a dead rotator's lock does not stop it for good.
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { generationPaths, rotateIfFull, rotateIfFullAsync } from "./log-rotation";

const ROTATION = { maxBytes: 10, generations: 2 };

describe("rotateIfFull", () => {
  it("leaves a log at or under its size alone, and a missing one", () => {
    const file = join(makeTempDir(), "x.log");
    expect(rotateIfFull(file, ROTATION)).toBe(false);
    writeFileSync(file, "0123456789");
    expect(rotateIfFull(file, ROTATION)).toBe(false);
    expect(existsSync(`${file}.1`)).toBe(false);
  });

  it("shifts the generations of a full log and drops the oldest", () => {
    const file = join(makeTempDir(), "x.log");
    for (const name of ["a", "b", "c"]) {
      writeFileSync(file, `${name.repeat(11)}`);
      expect(rotateIfFull(file, ROTATION)).toBe(true);
    }
    expect(existsSync(file)).toBe(false);
    expect(generationPaths(file, ROTATION).slice(1).map((p) => readFileSync(p, "utf8"))).toEqual(["c".repeat(11), "b".repeat(11)]);
    expect(existsSync(`${file}.3`)).toBe(false);
    expect(existsSync(`${file}.rotating`)).toBe(false);
  });

  it("does not rotate while another process holds the lock, and clears a lock left by a dead one", async () => {
    const file = join(makeTempDir(), "x.log");
    writeFileSync(file, "x".repeat(11));
    writeFileSync(`${file}.rotating`, "");
    expect(rotateIfFull(file, ROTATION)).toBe(false);
    expect(await rotateIfFullAsync(file, ROTATION)).toBe(false);
    expect(existsSync(`${file}.1`)).toBe(false);
    // A lock older than any rotation takes is a dead rotator's: removed, and the next append rotates.
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${file}.rotating`, old, old);
    expect(rotateIfFull(file, ROTATION)).toBe(false);
    expect(existsSync(`${file}.rotating`)).toBe(false);
    expect(await rotateIfFullAsync(file, ROTATION)).toBe(true);
    expect(readFileSync(`${file}.1`, "utf8")).toBe("x".repeat(11));
  });
});
