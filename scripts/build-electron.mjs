// Builds the Electron layer: the main process (dist/electron/main.cjs) and the sandboxed preload (dist/electron/preload.cjs).
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  // Electron 41 ships Node 24; CommonJS because a sandboxed preload cannot be an ES module.
  target: "node22",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
  define: { __OTTO_TRAY_VERSION__: JSON.stringify(version) },
};

// The main process loads only N-API addons (fs-native-extensions): they stay on disk, unpacked from the asar.
// node-pty never loads here: hosted sessions live in their own `otto-tray run` processes.
await build({ ...shared, entryPoints: { main: "electron/main/index.ts" }, outdir: "dist/electron", outExtension: { ".js": ".cjs" }, external: ["electron", "fs-native-extensions", "node-pty", "@xterm/headless"] });
await build({ ...shared, entryPoints: { preload: "electron/preload/index.ts" }, outdir: "dist/electron", outExtension: { ".js": ".cjs" }, external: ["electron"] });
