// Loads the Bash grammar (web-tree-sitter's runtime and the vendored tree-sitter-bash.wasm) once, on first use, and
// parses command texts into syntax trees synchronously afterwards.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Language, Parser, type Tree } from "web-tree-sitter";

const GRAMMAR = "tree-sitter-bash.wasm";
let loading: Promise<void> | undefined;
let ready: Parser | undefined;
let problem: string | undefined;

/** Where the vendored grammar is: `$OTTO_TRAY_BASH_GRAMMAR`, else beside the sources, the bundled CLI or the app. */
export function bashGrammarPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OTTO_TRAY_BASH_GRAMMAR) return env.OTTO_TRAY_BASH_GRAMMAR;
  const here = fileURLToPath(new URL(".", import.meta.url));
  // core/actuator/policy/ → root; dist/cli/chunks/ and dist/electron/ → root; dist/cli/ → root.
  const roots = [join(here, "..", "..", ".."), join(here, "..", ".."), join(here, "..")];
  const candidates = roots.map((root) => join(root, "vendor", "tree-sitter-bash", GRAMMAR));
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/**
 * Loads the parser (about 20–30 ms, once per process). Every caller of the policy awaits this first; the policy
 * itself refuses as unjudgeable while it is not loaded, so a caller that forgot can never be told "yes". Never
 * rejects: a failed load is remembered as the reason every judgement refuses, and the next call tries again.
 */
export function loadShellParser(): Promise<void> {
  if (ready !== undefined) return Promise.resolve();
  loading ??= (async () => {
    try {
      await Parser.init();
      const language = await Language.load(bashGrammarPath());
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
