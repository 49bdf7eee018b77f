// The pinned real Codex CLI for end-to-end tests: where scripts/setup installed it, and a throwaway offline CODEX_HOME for it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cli";
import { type Terminal, waitFor } from "./terminal";

/** The version the tests (and the recordings in fixtures/codex-real) were made with; pinned in codex/package.json. */
export const CODEX_VERSION = "0.171.0";
/** Where scripts/setup --tests installs it (test set-up only: never a dependency of the app). */
export const CODEX_DIR = join(REPO_ROOT, "test-support", "codex");
/** Set to 1 to skip the real-Codex tests when the install is missing (local development only: ignored when $CI is set). */
export const SKIP_CODEX_ENV = "OTTO_TRAY_SKIP_REAL_CODEX";
/** The name the fake model provider has in config.toml. */
export const FAKE_PROVIDER = "fake";
/** The environment variable config.toml's provider reads its API key from. */
export const FAKE_KEY_ENV = "OTTO_TRAY_FAKE_OPENAI_KEY";

/** Codex's hook events (0.171.0): the keys of `[[hooks.<Event>]]` in config.toml. */
export const CODEX_HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PermissionRequest",
  "PostToolUse",
  "Stop",
  "SubagentStart",
  "SubagentStop",
  "PreCompact",
  "PostCompact",
  "SessionEnd",
] as const;
export type CodexHookEvent = (typeof CODEX_HOOK_EVENTS)[number];

function versionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

/** The native binary npm's launcher (bin/codex.js) runs: in the platform package, an optional dependency. */
function nativeBinary(): string | undefined {
  const triples: Record<string, string> = { "linux-x64": "x86_64-unknown-linux-musl", "linux-arm64": "aarch64-unknown-linux-musl", "darwin-x64": "x86_64-apple-darwin", "darwin-arm64": "aarch64-apple-darwin" };
  const key = `${process.platform}-${process.arch}`;
  const triple = triples[key];
  return triple === undefined ? undefined : join(CODEX_DIR, "node_modules", "@openai", `codex-${key}`, "vendor", triple, "bin", "codex");
}

/**
 * The installed native `codex` binary, or why there is none. Run directly rather than through npm's launcher: on
 * Node < 22 the launcher stays as the parent of a child `codex`, so the pane's pid would not be Codex's.
 */
export function findCodex(): { bin: string } | { missing: string } {
  const bin = nativeBinary();
  let found = bin === undefined ? `there is no build for ${process.platform}-${process.arch}` : "it is not installed";
  if (bin !== undefined && existsSync(bin)) {
    const version = versionOf(bin);
    if (version === `codex-cli ${CODEX_VERSION}`) return { bin };
    found = `${bin} says ${JSON.stringify(version ?? "nothing")}`;
  }
  return { missing: `Codex CLI ${CODEX_VERSION} is needed in ${CODEX_DIR} but ${found}: run ./scripts/setup --tests (or set ${SKIP_CODEX_ENV}=1 to skip these tests locally)` };
}

/** A TOML basic string (JSON's escapes are TOML's for everything JSON.stringify emits). */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** One command hook: `[[hooks.<Event>]]` with one `[[hooks.<Event>.hooks]]`. */
export interface CodexHook {
  event: CodexHookEvent;
  command: string;
  /** Seconds (default 30; SessionEnd's 3, the most Codex 0.171.0 allows it: it clamps a longer one and warns). */
  timeout?: number;
  matcher?: string;
}

/** The `[[hooks.…]]` tables for `hooks`, as config.toml holds them. */
export function codexHookToml(hooks: readonly CodexHook[]): string {
  return hooks
    .map((hook) => {
      const group = [`[[hooks.${hook.event}]]`, ...(hook.matcher === undefined ? [] : [`matcher = ${tomlString(hook.matcher)}`])];
      const entry = [`[[hooks.${hook.event}.hooks]]`, `type = "command"`, `command = ${tomlString(hook.command)}`, `timeout = ${hook.timeout ?? (hook.event === "SessionEnd" ? 3 : 30)}`];
      return `${group.join("\n")}\n${entry.join("\n")}\n`;
    })
    .join("\n");
}

/** A throwaway Codex home. */
export interface CodexHome {
  home: string;
  codexHome: string;
  configFile: string;
  /** The environment to run `codex` with (PATH narrowed to the system's, as a GUI-started terminal may have). */
  env: NodeJS.ProcessEnv;
}

/**
 * Writes `$CODEX_HOME/config.toml`: the fake provider at `baseUrl` (a scripted Responses server), the model, the
 * approval policy and sandbox, the project trusted, no update check or telemetry, and `hooks`. The default policy,
 * "on-request", asks the person when the model's exec_command says `sandbox_permissions: "require_escalated"`
 * (0.171.0 refuses to start with "untrusted": "no longer supported").
 */
export function prepareCodexHome(options: {
  root: string;
  cwd: string;
  baseUrl: string;
  hooks?: readonly CodexHook[];
  approvalPolicy?: string;
  sandboxMode?: string;
  model?: string;
  path?: string;
}): CodexHome {
  const home = join(options.root, "home");
  const codexHome = join(options.root, "codex-home");
  mkdirSync(home, { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  const config = [
    `model = ${tomlString(options.model ?? "gpt-test")}`,
    `model_provider = ${tomlString(FAKE_PROVIDER)}`,
    `approval_policy = ${tomlString(options.approvalPolicy ?? "on-request")}`,
    `sandbox_mode = ${tomlString(options.sandboxMode ?? "workspace-write")}`,
    `check_for_update_on_startup = false`,
    "",
    `[model_providers.${FAKE_PROVIDER}]`,
    `name = "Otto Tray scripted Responses server"`,
    `base_url = ${tomlString(options.baseUrl)}`,
    `env_key = ${tomlString(FAKE_KEY_ENV)}`,
    `wire_api = "responses"`,
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    "",
    `[projects.${tomlString(options.cwd)}]`,
    `trust_level = "trusted"`,
    "",
    `[analytics]`,
    `enabled = false`,
    "",
    `[feedback]`,
    `enabled = false`,
    "",
    codexHookToml(options.hooks ?? []),
  ].join("\n");
  const configFile = join(codexHome, "config.toml");
  writeFileSync(configFile, config);
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    CODEX_HOME: codexHome,
    [FAKE_KEY_ENV]: "sk-otto-tray-test",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    PATH: options.path ?? "/usr/bin:/bin:/usr/sbin:/sbin",
    SHELL: "/bin/sh",
  };
  return { home, codexHome, configFile, env };
}

/**
 * Processes a Codex session may have left: anything whose cwd or command line is inside `root`, or that runs with
 * `codexHome` as its CODEX_HOME (its app-server daemon would). The caller ends them by pid and fails the test.
 */
export function processesUnder(root: string, codexHome: string): { pid: number; cmd: string }[] {
  const left: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // A zombie has no cwd.
      }
      let environ = "";
      try {
        environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      } catch {
        // Not ours to read: then not ours.
      }
      if (cwd.startsWith(root) || cmd.includes(root) || environ.split("\0").includes(`CODEX_HOME=${codexHome}`)) left.push({ pid, cmd });
    } catch {
      // Gone while we looked.
    }
  }
  return left;
}

/** Ends a Codex TUI as a person does: Ctrl-C on its empty prompt (0.171.0 exits on it), pressed until it is gone. */
export async function exitCodex(terminal: Terminal): Promise<void> {
  await waitFor(
    () => {
      if (terminal.exited()) return true;
      terminal.press("C-c");
      return false;
    },
    "Codex to exit",
    { timeoutMs: 30_000, intervalMs: 1000, describe: () => terminal.screen() },
  );
}

/**
 * What the session left running (an app-server daemon, …) once its hooks had time to finish (up to 15 s: a SessionEnd
 * hook may still be exiting), each ended by its pid; the test expects none.
 */
export async function endLeftovers(root: string, codexHome: string): Promise<{ pid: number; cmd: string }[]> {
  let left = processesUnder(root, codexHome);
  const deadline = Date.now() + 15_000;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = processesUnder(root, codexHome);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  return left;
}
