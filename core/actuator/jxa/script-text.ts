// Builds the text osascript runs: the shared helpers, one script, and a fixed footer that reads OSA_ARGS.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type JxaScriptName = "list-ui" | "press-button";

// The footer is constant: arguments arrive as JSON in the environment, never as script text.
const FOOTER = '\nObjC.import("stdlib");\nJSON.stringify(main(JSON.parse($.getenv("OSA_ARGS"))));\n';

/** Where `native-scripts/` is: `$OTTO_TRAY_NATIVE_SCRIPTS`, else beside the sources or the bundled CLI. */
export function nativeScriptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OTTO_TRAY_NATIVE_SCRIPTS) return env.OTTO_TRAY_NATIVE_SCRIPTS;
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [join(here, "..", "..", "..", "native-scripts"), join(here, "..", "..", "native-scripts"), join(here, "..", "native-scripts")];
  return candidates.find((dir) => existsSync(join(dir, "jxa-common.js"))) ?? (candidates[0] as string);
}

/** The whole program for one script. */
export function jxaProgram(name: JxaScriptName, dir: string = nativeScriptsDir()): string {
  return `${readFileSync(join(dir, "jxa-common.js"), "utf8")}\n${readFileSync(join(dir, `${name}.js`), "utf8")}${FOOTER}`;
}
