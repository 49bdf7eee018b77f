// Types of electron-binary.mjs (plain JavaScript so `node scripts/start.mjs` runs before any TypeScript tooling).

/** The project root (the directory holding package.json), with a trailing slash. */
export declare const PROJECT_ROOT: string;
/** The `electron` package directory: `$OTTO_TRAY_ELECTRON_PACKAGE` when set, else the project's node_modules/electron. */
export declare function electronPackageDir(env?: NodeJS.ProcessEnv): string;
/** Where the package's binary is (path.txt + dist/, or `$ELECTRON_OVERRIDE_DIST_PATH`), or why there is none. */
export declare function findElectronBinary(packageDir?: string, env?: NodeJS.ProcessEnv): { found: true; binary: string } | { found: false; reason: string };
/** Why the tray app cannot show on this machine even with the binary (Linux without a display), or undefined. */
export declare function missingDisplay(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
