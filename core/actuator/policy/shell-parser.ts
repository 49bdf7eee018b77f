// Loads the Bash grammar (web-tree-sitter's runtime and the vendored tree-sitter-bash.wasm) once, on first use, and
// parses command texts into syntax trees synchronously afterwards.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Parser, Tree } from "web-tree-sitter";

const GRAMMAR = "tree-sitter-bash.wasm";
let loading: Promise<void> | undefined;
let ready: Parser | undefined;
let problem: string | undefined;

/**
 * The project (or shipped CLI, or app) root for code in `moduleDir`: exactly one layout per place the code runs from,
 * so a grammar lying one directory too high (beside the app, in a parent checkout) is never picked up instead.
 */
export function codeRoot(moduleDir: string): string {
  const parts = moduleDir.split(/[\\/]+/).filter(Boolean);
  const tail = (...names: string[]) => names.every((name, i) => parts[parts.length - names.length + i] === name);
  // dist/cli/main.js, dist/electron/main.cjs, dist/lib/index.js: two up. dist/cli/chunks/*.js (the CLI's shared
  // chunks) and core/actuator/policy/*.ts (sources, tests): three up.
  const up = tail("dist", "cli") || tail("dist", "electron") || tail("dist", "lib") ? 2 : 3;
  return join(moduleDir, ...Array<string>(up).fill(".."));
}

/** Where the vendored grammar is: `$OTTO_TRAY_BASH_GRAMMAR`, else vendor/tree-sitter-bash/ under the code's root. */
export function bashGrammarPath(env: NodeJS.ProcessEnv = process.env, moduleDir: string = fileURLToPath(new URL(".", import.meta.url))): string {
  if (env.OTTO_TRAY_BASH_GRAMMAR) return env.OTTO_TRAY_BASH_GRAMMAR;
  return join(codeRoot(moduleDir), "vendor", "tree-sitter-bash", GRAMMAR);
}

/**
 * Loads the parser (about 20–30 ms, once per process). Every caller of the policy awaits this first; the policy
 * itself refuses as unjudgeable while it is not loaded, so a caller that forgot can never be told "yes". Never
 * rejects: a failed load is remembered as the reason every judgement refuses, and the next call tries again.
 * web-tree-sitter itself is imported here, not at the top: a process that judges nothing (status, the hook's
 * heartbeat) never reads its code or its wasm.
 */
export function loadShellParser(): Promise<void> {
  if (ready !== undefined) return Promise.resolve();
  loading ??= (async () => {
    try {
      const path = bashGrammarPath();
      // Name the missing file: web-tree-sitter's own error for it names no path.
      if (!existsSync(path)) throw new Error(`the Bash grammar is missing: ${path}`);
      const { Language, Parser } = await import("web-tree-sitter");
      await Parser.init();
      const language = await Language.load(path);
      const parser = new Parser();
      parser.setLanguage(language);
      ready = parser;
      problem = undefined;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

/** Why the parser is not loaded: never tried, or the last load's error. */
export function shellParserProblem(): string {
  return problem === undefined ? "the shell parser is not loaded" : `the shell parser could not be loaded (${problem})`;
}

/** True once `loadShellParser` has finished. */
export function shellParserReady(): boolean {
  return ready !== undefined;
}

/** The syntax tree of `text`, or undefined when the parser is not loaded. The caller must `delete()` the tree. */
export function parseBash(text: string): Tree | undefined {
  return ready?.parse(text) ?? undefined;
}
