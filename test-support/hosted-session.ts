// Hosts the stand-in agent under the built `otto-tray run` for vitest tests, in fresh temporary directories; hosts
// still running are killed after each test. The hosting itself is in hosted-session-host.ts.
import { chmodSync } from "node:fs";
import { afterEach } from "vitest";
import { type HostedSession, startStandIn } from "./hosted-session-host";
import { makeTempDir } from "./temp";

export { answersOf, hasPrompt, type HostedSession } from "./hosted-session-host";

const hosts: HostedSession["host"][] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill("SIGTERM");
});

/** Starts the host with the stand-in's environment (STANDIN_MODE, STANDIN_COMMAND, …) and waits for `until`. */
export async function hostStandIn(env: Record<string, string>, until: (session: { prompt: unknown }) => boolean, surface = "otto-cli"): Promise<HostedSession> {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  const session = await startStandIn({ home, bus, env, until, surface });
  hosts.push(session.host);
  return session;
}

/** Polls `check` until it holds (bounded). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
