// A clone must pass with nothing beside it: no test, script or config reaches outside the repository for data.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./cli";

describe("the repository carries its own test data", () => {
  it("no tracked source, script or config reads the shared folder beside the checkout (fixtures live in test-support/fixtures)", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.js", "*.mjs", "*.cjs", "*.json", ".ci/*", "scripts/*"], { cwd: REPO_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "" && !f.startsWith("test-support/fixtures/") && !f.endsWith("package-lock.json") && f !== "test-support/self-contained.test.ts");
    const outside = files.filter((file) => /\.\.\/shared|["'/]shared\/fixtures/.test(readFileSync(join(REPO_ROOT, file), "utf8")));
    expect(outside).toEqual([]);
  });
});
