// A value read from real files is kept while they are unchanged and read again when any of them changes.
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { QUIET_MS, StatKeyedCache } from "./stat-keyed-cache";
import { readFileSync } from "node:fs";

/** A clock far enough ahead that every file looks long still (no waiting in tests). */
const later = () => Date.now() + 10 * QUIET_MS;

function counted(paths: string[], read: () => string) {
  let reads = 0;
  const cache = new StatKeyedCache(() => {
    reads++;
    return { value: read(), paths };
  }, later);
  return { cache, reads: () => reads };
}

const text = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "(missing)";
  }
};

describe("StatKeyedCache", () => {
  it("reads once while the file is unchanged, and again when it is written", () => {
    const dir = makeTempDir("otto-stat-cache-");
    const file = join(dir, "switch.json");
    writeFileSync(file, "one");
    const { cache, reads } = counted([file], () => text(file));
    expect(cache.get()).toBe("one");
    expect(cache.get()).toBe("one");
    expect(reads()).toBe(1);
    writeFileSync(file, "two!");
    expect(cache.get()).toBe("two!");
    expect(reads()).toBe(2);
  });

  it("notices a file that appears, disappears, or is replaced by a symlink elsewhere", () => {
    const dir = makeTempDir("otto-stat-cache-appear-");
    const file = join(dir, "audit.jsonl");
    const { cache } = counted([file], () => text(file));
    expect(cache.get()).toBe("(missing)");
    writeFileSync(file, "a");
    expect(cache.get()).toBe("a");
    unlinkSync(file);
    expect(cache.get()).toBe("(missing)");
    const other = join(dir, "other");
    writeFileSync(other, "b");
    symlinkSync(other, file);
    expect(cache.get()).toBe("b");
    writeFileSync(other, "bb"); // written through the link: the target's change counts
    expect(cache.get()).toBe("bb");
  });

  it("notices a directory's new entry (a pool's new identity) and treats a path through a file as absent", () => {
    const dir = makeTempDir("otto-stat-cache-dir-");
    const { cache } = counted([dir, join(dir, "a-file", "below")], () => String(Math.random()));
    writeFileSync(join(dir, "a-file"), "x");
    const first = cache.get();
    expect(cache.get()).toBe(first); // ENOTDIR below a file is "nothing there", not "unreadable"
    mkdirSync(join(dir, "otto-cli"));
    expect(cache.get()).not.toBe(first);
    rmSync(join(dir, "otto-cli"), { recursive: true });
  });

  it("keeps nothing read while its files were changing (a same-tick rewrite could keep the same key)", () => {
    const dir = makeTempDir("otto-stat-cache-racy-");
    const file = join(dir, "settings.json");
    writeFileSync(file, "{}");
    let reads = 0;
    const cache = new StatKeyedCache(() => {
      reads++;
      return { value: text(file), paths: [file] };
    }); // the real clock: the file changed just now
    cache.get();
    cache.get();
    expect(reads).toBe(2);
  });
});
