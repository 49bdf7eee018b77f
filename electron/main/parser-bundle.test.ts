// The policy's parser in the main process's CommonJS bundle: built as main.cjs is, in the packaged app's layout
// (dist/electron beside vendor/ and node_modules/), it requires web-tree-sitter's CommonJS build and finds the grammar.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { mainBundle } from "../../scripts/electron-main-build.mjs";
import { REPO_ROOT } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const PROBE = `
import { bashGrammarPath, loadShellParser, parseBash } from "./core/actuator/policy/shell-parser";
void loadShellParser().then(() => {
  const tree = parseBash("npm test # run the tests\\nrm -rf ../victim");
  const loaded = Object.keys(require.cache).filter((path) => path.includes("web-tree-sitter"));
  process.stdout.write(JSON.stringify({ grammar: bashGrammarPath(), loaded, commands: tree?.rootNode.descendantsOfType("command").map((n) => n?.text) }));
});
`;

describe("the parser in the main process bundle", () => {
  it("loads web-tree-sitter.cjs and the grammar under the app's root, and parses both lines", async () => {
    const app = makeTempDir("otto-main-bundle-");
    await build({ ...mainBundle, stdin: { contents: PROBE, resolveDir: REPO_ROOT, sourcefile: "probe.ts", loader: "ts" }, outfile: join(app, "dist", "electron", "probe.cjs"), sourcemap: false, logLevel: "silent" });
    mkdirSync(join(app, "vendor", "tree-sitter-bash"), { recursive: true });
    cpSync(join(REPO_ROOT, "vendor", "tree-sitter-bash", "tree-sitter-bash.wasm"), join(app, "vendor", "tree-sitter-bash", "tree-sitter-bash.wasm"));
    symlinkSync(join(REPO_ROOT, "node_modules"), join(app, "node_modules"));
    const { OTTO_TRAY_BASH_GRAMMAR: _ignored, ...env } = process.env;
    const run = spawnSync(process.execPath, [join(app, "dist", "electron", "probe.cjs")], { cwd: app, env, encoding: "utf8", timeout: 30_000 });
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as { grammar: string; loaded: string[]; commands: string[] };
    expect(result.grammar).toBe(join(app, "vendor", "tree-sitter-bash", "tree-sitter-bash.wasm"));
    expect(result.loaded.some((path) => path.endsWith("web-tree-sitter.cjs"))).toBe(true);
    expect(result.commands).toEqual(["npm test", "rm -rf ../victim"]);
  });
});
