// Where the policy finds the Bash grammar: one exact place per layout the code runs from (sources, the built CLI and
// its chunks, the app's main bundle, the shipped CLI), never a directory above it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../test-support/cli";
import { bashGrammarPath, codeRoot, loadShellParser, parseBash } from "./shell-parser";

const GRAMMAR = join("vendor", "tree-sitter-bash", "tree-sitter-bash.wasm");

describe("bashGrammarPath", () => {
  it.each([
    ["/p/core/actuator/policy", "/p"],
    ["/p/dist/cli", "/p"],
    ["/p/dist/cli/chunks", "/p"],
    ["/p/dist/lib", "/p"],
    ["/Applications/Otto Tray.app/Contents/Resources/app.asar/dist/electron", "/Applications/Otto Tray.app/Contents/Resources/app.asar"],
    ["/Applications/Otto Tray.app/Contents/Resources/cli/dist/cli/chunks", "/Applications/Otto Tray.app/Contents/Resources/cli"],
    ["/Applications/Otto Tray.app/Contents/Resources/cli/dist/cli/", "/Applications/Otto Tray.app/Contents/Resources/cli"],
  ])("code in %s has its root at %s", (dir, root) => {
    expect(codeRoot(dir)).toBe(root);
    expect(bashGrammarPath({}, dir)).toBe(join(root, GRAMMAR));
  });

  it("finds the vendored grammar from the sources; $OTTO_TRAY_BASH_GRAMMAR overrides", () => {
    expect(bashGrammarPath({})).toBe(join(REPO_ROOT, GRAMMAR));
    expect(existsSync(bashGrammarPath({}))).toBe(true);
    expect(bashGrammarPath({ OTTO_TRAY_BASH_GRAMMAR: "/elsewhere/bash.wasm" })).toBe("/elsewhere/bash.wasm");
  });

  it("loads and parses both lines of a command hidden behind a comment", async () => {
    await loadShellParser();
    const tree = parseBash("npm test # run the tests\nrm -rf ../victim");
    try {
      expect(tree?.rootNode.descendantsOfType("command").map((n) => n?.text)).toEqual(["npm test", "rm -rf ../victim"]);
    } finally {
      tree?.delete();
    }
  });
});
