// The esbuild options of the Electron layer's CommonJS bundles, shared by scripts/build-electron.mjs and the tests that check what main.cjs requires and loads.
import { nodeBundle } from "./build-common.mjs";

/** What main and preload share. */
export const electronBundle = {
  ...nodeBundle,
  // Electron 41 ships Node 24; CommonJS because a sandboxed preload cannot be an ES module.
  target: "node22",
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  // The core finds files beside itself with import.meta.url (ESM); in this CommonJS bundle that is the bundle's own URL.
  define: { ...nodeBundle.define, "import.meta.url": "__ottoImportMetaUrl" },
  banner: { js: "const __ottoImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * The packages main.cjs requires from node_modules instead of bundling. The main process loads only N-API addons
 * (fs-native-extensions): they stay on disk, unpacked from the asar. node-pty never loads here: hosted sessions live
 * in their own `otto-tray run` processes. web-tree-sitter (the policy's parser, for unstick) stays a package: its
 * CommonJS build reads its runtime wasm beside itself (__dirname).
 */
export const MAIN_EXTERNALS = ["electron", "fs-native-extensions", "node-pty", "@xterm/headless", "web-tree-sitter"];

/** The main process bundle, without its entry point and output directory. */
export const mainBundle = {
  ...electronBundle,
  external: MAIN_EXTERNALS,
  // Dynamic imports of those packages become require(): the CommonJS build of web-tree-sitter reads plain paths,
  // which Electron serves from inside app.asar (an ES module import would go through file URLs instead).
  supported: { "dynamic-import": false },
};
