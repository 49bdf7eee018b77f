// The main process loads no native module but N-API ones, which serve Node and Electron alike without a rebuild.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

/** The packages main.cjs requires at run time (everything else is bundled into it). */
async function externalPackagesOfMain(): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["electron/main/index.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "silent",
    define: { "import.meta.url": "__ottoImportMetaUrl" },
    // The same list as scripts/build-electron.mjs: what may stay outside the bundle.
    external: ["electron", "fs-native-extensions", "node-pty", "@xterm/headless"],
  });
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  return [...new Set(imports.filter((p) => !builtins.has(p)))].sort();
}

describe("native modules in the main process", () => {
  it("main requires only electron and fs-native-extensions: node-pty and xterm stay in `otto-tray run`", async () => {
    expect(await externalPackagesOfMain()).toEqual(["electron", "fs-native-extensions"]);
  });

  it.each(["darwin-arm64", "darwin-x64", "linux-x64"])("fs-native-extensions for %s is an N-API addon (no per-ABI rebuild for Electron)", (platform) => {
    const binary = readFileSync(join(root, "node_modules", "fs-native-extensions", "prebuilds", platform, "fs-native-extensions.node")).toString("latin1");
    expect(binary).toContain("napi_register_module_v1");
    // A module built against one runtime's V8 ABI registers through node_register_module_v<ABI> instead.
    expect(binary).not.toMatch(/node_register_module_v\d+/);
  });
});
