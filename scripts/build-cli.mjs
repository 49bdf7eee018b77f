// Bundles the `otto-tray` CLI (and the library entry) with esbuild; code-split so each command loads only what it needs.
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  sourcemap: "linked",
  logLevel: "warning",
  // Native addons stay on disk; electron never reaches the CLI.
  external: ["fs-native-extensions", "electron"],
  banner: { js: "import { createRequire as __ottoCreateRequire } from 'node:module'; const require = __ottoCreateRequire(import.meta.url);" },
};

await build({ ...shared, entryPoints: { main: "cli/main.ts" }, outdir: "dist/cli", chunkNames: "chunks/[name]-[hash]" });
