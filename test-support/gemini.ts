// The pinned real Google Gemini CLI for end-to-end tests: where scripts/setup installed it, and a throwaway offline home for it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cli";

/** The version the tests (and the recordings in fixtures/gemini-real) were made with; pinned in gemini/package.json. */
export const GEMINI_VERSION = "0.61.0";
/** Where scripts/setup installs it (test set-up only: never a dependency of the app). */
export const GEMINI_DIR = join(REPO_ROOT, "test-support", "gemini");
/** Set to 1 to skip the real-Gemini tests when the install is missing (local development only: ignored when $CI is set). */
export const GEMINI_SKIP_ENV = "OTTO_TRAY_SKIP_REAL_GEMINI";
/** The model named on the command line (`-m`): a concrete model skips the CLI's routing request. */
export const GEMINI_MODEL = "gemini-2.5-flash";

/** The hook events Gemini CLI 0.61.0 accepts in settings.json's "hooks". */
export const GEMINI_HOOK_EVENTS = [
  "SessionStart",
  "BeforeAgent",
  "PreCompress",
  "BeforeModel",
  "BeforeToolSelection",
  "AfterModel",
  "BeforeTool",
  "AfterTool",
  "AfterAgent",
  "SessionEnd",
  "Notification",
] as const;
export type GeminiHookEvent = (typeof GEMINI_HOOK_EVENTS)[number];

/** One command hook as settings.json holds it (`timeout` in milliseconds). */
export interface GeminiCommandHook {
  name: string;
  type: "command";
  command: string;
  timeout?: number;
}
/** settings.json's "hooks": per event, matcher groups of command hooks. */
export type GeminiHooks = Partial<Record<GeminiHookEvent, { matcher?: string; hooks: GeminiCommandHook[] }[]>>;

function versionOf(bin: string): string | undefined {
  try {
    // The CLI is a Node script: run it with this Node, so a PATH without node does not matter.
    return execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } }).trim();
  } catch {
    return undefined;
  }
}

/** The installed CLI's entry script (run it with `node`), or why there is none. */
export function findGemini(): { bin: string } | { missing: string } {
  const bin = join(GEMINI_DIR, "node_modules", "@google", "gemini-cli", "bundle", "gemini.js");
  let found = "it is not installed";
  if (existsSync(bin)) {
    const version = versionOf(bin);
    if (version === GEMINI_VERSION) return { bin };
    found = `${bin} says ${JSON.stringify(version ?? "nothing")}`;
  }
  return { missing: `Gemini CLI ${GEMINI_VERSION} is needed in ${GEMINI_DIR} but ${found}: run ./scripts/setup --tests (or set ${GEMINI_SKIP_ENV}=1 to skip these tests locally)` };
}

/** A throwaway Gemini CLI home: `$HOME/.gemini` with settings that skip every first-start dialog, offline. */
export interface GeminiHome {
  home: string;
  /** `$HOME/.gemini`. */
  geminiDir: string;
  settingsFile: string;
  /** The environment to run `gemini` with (PATH narrowed to the system's, as a GUI-started terminal may have). */
  env: NodeJS.ProcessEnv;
}

/**
 * Writes `$HOME/.gemini/settings.json` (API-key auth chosen so no auth dialog shows, no usage statistics or telemetry,
 * no update check or nudge, hooks as given) and `trustedFolders.json` (the working folder trusted, so no trust dialog).
 * The CLI then talks only to `baseUrl` (GOOGLE_GEMINI_BASE_URL).
 */
export function prepareGeminiHome(options: { root: string; cwd: string; baseUrl: string; hooks?: GeminiHooks; settings?: Record<string, unknown>; path?: string }): GeminiHome {
  const home = join(options.root, "home");
  const geminiDir = join(home, ".gemini");
  mkdirSync(geminiDir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    ide: { enabled: false, hasSeenNudge: true },
    hooks: options.hooks ?? {},
    ...options.settings,
  };
  const settingsFile = join(geminiDir, "settings.json");
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(geminiDir, "trustedFolders.json"), `${JSON.stringify({ [options.cwd]: "TRUST_FOLDER" }, null, 2)}\n`);
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    GOOGLE_GEMINI_BASE_URL: options.baseUrl,
    GEMINI_API_KEY: "otto-tray-test-key",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    PATH: options.path ?? "/usr/bin:/bin:/usr/sbin:/sbin",
    SHELL: "/bin/sh",
  };
  return { home, geminiDir, settingsFile, env };
}
