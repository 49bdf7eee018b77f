// Types of build-changed.mjs (plain JavaScript so `npm start` runs it before any TypeScript tooling).

/** One of `npm run build`'s builds: the files it reads and writes (relative to the project root), and its node command. */
export interface Build {
  name: string;
  inputs: string[];
  outputs: string[];
  command: string[];
}
/** `npm run build`'s builds: CLI, Electron layer, UI. */
export declare const BUILDS: Build[];
/** A digest of the paths, sizes and mtimes of every file under PATHS; undefined when something cannot be read. */
export declare function fingerprint(root: string, paths: readonly string[]): string | undefined;
/** Why BUILD must run now, or undefined when its stamp matches its inputs and outputs on disk. */
export declare function staleReason(root: string, build: Build): string | undefined;
/** Records that BUILD succeeded from the inputs whose digest was INPUTS. */
export declare function writeStamp(root: string, build: Build, inputs: string | undefined): void;
