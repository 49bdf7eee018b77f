// Hosts the stand-in agent (test-support/stand-in-agent.mjs) under the built `otto-tray run`, headless, and waits
// until its screen shows what a test needs. No test runner attached: vitest (hosted-session.ts) and Playwright use it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI_BIN, REPO_ROOT, runCli } from "./cli";

const STAND_IN = join(REPO_ROOT, "test-support", "stand-in-agent.mjs");

export interface HostedSession {
  home: string;
  bus: string;
  /** The file the stand-in appends its answers to ("allowed npm test"). */
  log: string;
  host: ChildProcess;
  /** Runs the CLI with this session's --home and --bus-dir. */
  cli: (...args: string[]) => ReturnType<typeof runCli>;
}

/** Starts the host in `home` on `bus` with the stand-in's environment (STANDIN_MODE, STANDIN_COMMAND, …) and waits for `until`. */
export async function startStandIn(options: { home: string; bus: string; env: Record<string, string>; until: (session: { prompt: unknown }) => boolean; surface?: string }): Promise<HostedSession> {
  const { home, bus, env, until } = options;
  const log = join(home, "answers.log");
  const child = spawn(process.execPath, [CLI_BIN, "run", "--surface", options.surface ?? "otto-cli", "--home", home, "--bus-dir", bus, "--", process.execPath, STAND_IN], {
    cwd: home,
    env: { ...process.env, STANDIN_LOG: log, ...env },
    stdio: ["pipe", "ignore", "pipe"],
  });
  const cli = (...args: string[]) => runCli([...args, "--home", home, "--bus-dir", bus]);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const listed = cli("sessions", "--json");
    const sessions = listed.code === 0 ? (JSON.parse(listed.stdout) as { prompt: unknown }[]) : [];
    if (sessions[0] !== undefined && until(sessions[0])) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the hosted session never showed the expected screen: ${listed.stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { home, bus, log, host: child, cli };
}

export const hasPrompt = (s: { prompt: unknown }): boolean => s.prompt !== null;

/** The stand-in's answers so far. */
export function answersOf(log: string): string[] {
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
}
