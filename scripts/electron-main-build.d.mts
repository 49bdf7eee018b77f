// Types of electron-main-build.mjs (plain JavaScript: the build scripts run before any TypeScript tooling).
import type { BuildOptions } from "esbuild";

/** What the main and preload bundles share (CommonJS, import.meta.url defined as the bundle's own URL). */
export declare const electronBundle: BuildOptions;
/** The packages main.cjs requires from node_modules instead of bundling. */
export declare const MAIN_EXTERNALS: string[];
/** The main process bundle, without its entry point and output directory. */
export declare const mainBundle: BuildOptions;
