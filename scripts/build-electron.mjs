// Builds the Electron layer: the main process (dist/electron/main.cjs) and the sandboxed preload (dist/electron/preload.cjs).
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundle, root } from "./build-common.mjs";

const shared = {
  ...nodeBundle,
  // Electron 41 ships Node 24; CommonJS because a sandboxed preload cannot be an ES module.
  target: "node22",
  format: "cjs",
  // The core finds files beside itself with import.meta.url (ESM); in this CommonJS bundle that is the bundle's own URL.
  define: { ...nodeBundle.define, "import.meta.url": "__ottoImportMetaUrl" },
  banner: { js: "const __ottoImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// The main process loads only N-API addons (fs-native-extensions): they stay on disk, unpacked from the asar.
// node-pty never loads here: hosted sessions live in their own `otto-tray run` processes.
await build({ ...shared, entryPoints: { main: "electron/main/index.ts" }, outdir: "dist/electron", outExtension: { ".js": ".cjs" }, external: ["electron", "fs-native-extensions", "node-pty", "@xterm/headless", "web-tree-sitter"] });
// The sandboxed preload may require only "electron" (and a few Node built-ins): no banner touching node:url.
await build({ ...shared, banner: {}, entryPoints: { preload: "electron/preload/index.ts" }, outdir: "dist/electron", outExtension: { ".js": ".cjs" }, external: ["electron"] });

// The tray icons travel with the main process bundle (inside the asar when packaged).
mkdirSync(`${root}dist/electron/assets`, { recursive: true });
for (const name of existsSync(`${root}electron/assets`) ? readdirSync(`${root}electron/assets`) : []) {
  if (name.endsWith(".png")) copyFileSync(`${root}electron/assets/${name}`, `${root}dist/electron/assets/${name}`);
}
