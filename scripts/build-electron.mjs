// Builds the Electron layer: the main process (dist/electron/main.cjs) and the sandboxed preload (dist/electron/preload.cjs).
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";
import { root } from "./build-common.mjs";
import { electronBundle, mainBundle } from "./electron-main-build.mjs";

await build({ ...mainBundle, entryPoints: { main: "electron/main/index.ts" }, outdir: "dist/electron" });
// The sandboxed preload may require only "electron" (and a few Node built-ins): no banner touching node:url.
await build({ ...electronBundle, banner: {}, entryPoints: { preload: "electron/preload/index.ts" }, outdir: "dist/electron", external: ["electron"] });

// The tray icons travel with the main process bundle (inside the asar when packaged).
mkdirSync(`${root}dist/electron/assets`, { recursive: true });
for (const name of existsSync(`${root}electron/assets`) ? readdirSync(`${root}electron/assets`) : []) {
  if (name.endsWith(".png")) copyFileSync(`${root}electron/assets/${name}`, `${root}dist/electron/assets/${name}`);
}
