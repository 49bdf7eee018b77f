// A lease record that is not a regular file (a FIFO, a directory, a symlink) never hangs a pool command: it holds its sidetick and says why.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identityLayout } from "../../../core/pool/layout";
import { describeRun, makePoolFixture, pool, poolArgs, poolOk, poolStatus, sideticksOf } from "../../../test-support/pool-pressure";

// A bound, not a timing assertion: a command that blocks on the FIFO never ends, and runCli throws when this passes.
const BOUND_MS = 20_000;

const replacements: Record<string, { make: (path: string, root: string) => void; why: RegExp }> = {
  FIFO: { make: (path) => execFileSync("mkfifo", [path]), why: /not a regular file/ },
  directory: { make: (path) => mkdirSync(join(path, "inside"), { recursive: true }), why: /not a regular file|EISDIR/ },
  "symlink to a free record": {
    make: (path, root) => {
      const elsewhere = join(root, "free-record.json");
      writeFileSync(elsewhere, JSON.stringify({ version: 1, sidetick: 1, lease: null, releasedAt: null }));
      symlinkSync(elsewhere, path);
    },
    why: /symlink/,
  },
};

describe("a lease record that is not a regular file", () => {
  it.each(Object.keys(replacements))("a %s: allocate, status and doctor end at once and count the sidetick held", (kind) => {
    const fx = makePoolFixture();
    poolOk(fx, "init", ["--identity", "otto-cli", "--size", "1"]);
    const record = identityLayout(fx.poolRoot, "otto-cli").recordFile(1);
    rmSync(record, { force: true });
    replacements[kind]!.make(record, fx.root);

    const allocated = pool(fx, "allocate", ["--identity", "otto-cli"], BOUND_MS);
    const seen = describeRun(poolArgs(fx, "allocate"), allocated);
    expect(allocated.code, seen).toBe(3);
    expect(allocated.stderr, seen).toMatch(replacements[kind]!.why);

    const shown = sideticksOf(poolStatus(fx, "otto-cli"), "otto-cli")[0]!;
    expect(shown.state).toBe("unreadable");
    expect(shown.note).toMatch(replacements[kind]!.why);
    const text = pool(fx, "status", ["--identity", "otto-cli"], BOUND_MS);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/sidetick-1: .*counted as held/);

    const doctor = pool(fx, "doctor", ["--identity", "otto-cli"], BOUND_MS);
    expect(doctor.code, describeRun(poolArgs(fx, "doctor"), doctor)).toBe(6);
    expect(doctor.stdout).toMatch(/unreadable-lease/);

    // Nobody works in the sidetick: --fix rewrites the record (a directory cannot be renamed over: it says so).
    const fixed = pool(fx, "doctor", ["--identity", "otto-cli", "--fix"], BOUND_MS);
    if (kind === "directory") {
      expect(fixed.code, describeRun(poolArgs(fx, "doctor", ["--fix"]), fixed)).toBe(6);
      expect(fixed.stdout).toMatch(/move .*sidetick-1\.json away by hand/);
      return;
    }
    expect(fixed.code, describeRun(poolArgs(fx, "doctor", ["--fix"]), fixed)).toBe(0);
    expect(pool(fx, "allocate", ["--identity", "otto-cli"], BOUND_MS).code).toBe(0);
    // The symlink was replaced, never written through.
    if (kind !== "FIFO") expect(JSON.parse(readFileSync(join(fx.root, "free-record.json"), "utf8"))).toMatchObject({ lease: null });
  });
});
