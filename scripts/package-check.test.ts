// `npm run package:check` as CI runs it (a real process, electron-builder offline): passes on the project (the shipped CLI judging through the Bash parser), and names what a broken configuration lacks.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const SCRIPT = join(REPO_ROOT, "scripts", "package-check.mjs");

function packageCheck(args: string[]): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 240_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.runIf(process.platform === "linux")("package:check", () => {
  it("packages the app offline and finds main, preload, renderer, native-scripts, the running CLI and a valid macOS configuration", () => {
    const result = packageCheck(["--out", join(makeTempDir("otto-package-"), "out")]);
    expect(result.output).not.toMatch(/FAIL/);
    expect(result.code).toBe(0);
    for (const line of [
      "ok    app.asar: /dist/electron/main.cjs",
      "ok    app.asar: /dist/electron/preload.cjs",
      "ok    app.asar: /dist/renderer/index.html",
      "ok    resources/native-scripts",
      'ok    resources/cli/bin/otto-tray --version prints "otto-tray',
      "ok    native addons unpacked from app.asar",
      "ok    app.asar: /vendor/tree-sitter-bash/tree-sitter-bash.wasm is the vendored grammar (sha256)",
      "ok    app.asar: /node_modules/web-tree-sitter/web-tree-sitter.wasm is web-tree-sitter's runtime",
      "ok    resources/cli/vendor/tree-sitter-bash/tree-sitter-bash.wasm is the vendored grammar (sha256)",
      "ok    resources/cli/node_modules/web-tree-sitter/web-tree-sitter.wasm is web-tree-sitter's runtime",
      "ok    the shipped CLI judges a command through the parser (the attack is blocked for its rm)",
      "ok    the shipped CLI's actuator judge finds the rm behind the comment and blocks it (exit 5)",
      "ok    mac Info.plist: LSUIElement true",
      "ok    mac fuses: RunAsNode off in Electron Framework",
    ]) {
      expect(result.output).toContain(line);
    }
    expect(result.output).toMatch(/all \d+ checks passed/);
  }, 240_000);

  it("fails naming each thing a configuration leaves out: LSUIElement, native-scripts, the Bash grammar, and node-pty kept in the app", () => {
    const dir = makeTempDir("otto-package-");
    const config = join(dir, "broken.cjs");
    writeFileSync(
      config,
      `const base = require(${JSON.stringify(join(REPO_ROOT, "electron-builder.cjs"))});
module.exports = {
  ...base,
  files: base.files.filter((p) => !p.includes("node-pty") && !p.includes("tree-sitter-bash.wasm")),
  extraResources: base.extraResources.filter((r) => r.to !== "native-scripts"),
  mac: { ...base.mac, extendInfo: { NSAppleEventsUsageDescription: base.mac.extendInfo.NSAppleEventsUsageDescription } },
};
`,
    );
    const result = packageCheck(["--out", join(dir, "out"), "--config", config]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("FAIL  mac: LSUIElement (no Dock icon)");
    expect(result.output).toContain("FAIL  mac Info.plist: LSUIElement true");
    expect(result.output).toMatch(/FAIL {2}resources\/native-scripts: .*missing jxa-common\.js/);
    expect(result.output).toContain("FAIL  extraResources: native-scripts");
    expect(result.output).toContain("FAIL  app.asar: node-pty left out");
    expect(result.output).toContain("FAIL  app.asar: /vendor/tree-sitter-bash/tree-sitter-bash.wasm is the vendored grammar (sha256): missing");
    expect(result.output).toMatch(/\d+ check\(s\) failed: /);
  }, 240_000);
});
