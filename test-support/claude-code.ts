// The pinned real Claude Code for end-to-end tests: where scripts/setup installed it, and a throwaway offline config for it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cli";

/** The version the tests (and the recordings in fixtures/claude-code-real) were made with; pinned in claude-code/package.json. */
export const CLAUDE_CODE_VERSION = "2.1.330";
/** Where scripts/setup installs it (test set-up only: never a dependency of the app). */
export const CLAUDE_CODE_DIR = join(REPO_ROOT, "test-support", "claude-code");
/** Set to 1 to skip the real-Claude tests when the install is missing (local development only: ignored when $CI is set). */
export const SKIP_ENV = "OTTO_TRAY_SKIP_REAL_CLAUDE";

function platformPackage(): string {
  const libc = process.platform === "linux" && existsSync("/etc/alpine-release") ? "-musl" : "";
  return `@anthropic-ai/claude-code-${process.platform}-${process.arch}${libc}`;
}

function versionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000, env: { ...process.env, DISABLE_AUTOUPDATER: "1" } }).trim();
  } catch {
    return undefined;
  }
}

/** The installed binary, or why there is none. The native binary is used directly when the wrapper's postinstall did not link it. */
export function findClaudeCode(): { bin: string } | { missing: string } {
  const modules = join(CLAUDE_CODE_DIR, "node_modules");
  const candidates = [join(modules, "@anthropic-ai", "claude-code", "bin", "claude.exe"), join(modules, platformPackage(), "claude")];
  const tried: string[] = [];
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version?.startsWith(CLAUDE_CODE_VERSION)) return { bin };
    tried.push(`${bin} says ${JSON.stringify(version ?? "nothing")}`);
  }
  const found = tried.length === 0 ? "it is not installed" : tried.join("; ");
  return { missing: `Claude Code ${CLAUDE_CODE_VERSION} is needed in ${CLAUDE_CODE_DIR} but ${found}: run ./scripts/setup (or set ${SKIP_ENV}=1 to skip these tests locally)` };
}

/** A throwaway Claude Code home: config dir, settings and state that skip every first-start dialog, offline. */
export interface ClaudeHome {
  home: string;
  configDir: string;
  settingsFile: string;
  /** The environment to run `claude` with (PATH narrowed to the system's, as a GUI-started terminal may have). */
  env: NodeJS.ProcessEnv;
}

/**
 * Writes `.claude.json` (onboarding done, the folder trusted, the API key approved, the auto-mode offer seen)
 * and `settings.json` with `permissions.defaultMode` (default "default": classic dialogs, which send
 * PermissionRequest; auto mode needs Anthropic's servers).
 */
export function prepareClaudeHome(options: { root: string; cwd: string; baseUrl: string; defaultMode?: string; path?: string }): ClaudeHome {
  const home = join(options.root, "home");
  const configDir = join(options.root, "claude-config");
  mkdirSync(home, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  const apiKey = `sk-ant-api03-otto-tray-test-${"x".repeat(24)}`;
  const state = {
    hasCompletedOnboarding: true,
    hasSeenAutoDefaultNudge: true,
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
    projects: { [options.cwd]: { hasTrustDialogAccepted: true } },
  };
  writeFileSync(join(configDir, ".claude.json"), `${JSON.stringify(state, null, 2)}\n`);
  const settingsFile = join(configDir, "settings.json");
  writeFileSync(settingsFile, `${JSON.stringify({ permissions: { defaultMode: options.defaultMode ?? "default" } }, null, 2)}\n`);
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    CLAUDE_CONFIG_DIR: configDir,
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: apiKey,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    PATH: options.path ?? "/usr/bin:/bin:/usr/sbin:/sbin",
    SHELL: "/bin/sh",
  };
  return { home, configDir, settingsFile, env };
}
