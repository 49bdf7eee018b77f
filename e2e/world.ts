// The real world the dashboard walk runs in: a private bus, a state directory with preferences, a git repository
// with an origin, `otto-tray serve`, and heartbeats written to the bus as the surfaces would.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HeartbeatPayload } from "../core/bus/envelope";
import { type DashboardDirs, makeDashboardDirs, writeHeartbeat } from "../test-support/dashboard-world";
import { type ServeProcess, startServe } from "../test-support/serve";

export interface World extends DashboardDirs {
  serve: ServeProcess;
  beat(surface: string, payload: HeartbeatPayload, secondsAgo?: number): void;
  dispose(): Promise<void>;
}

/**
 * Builds the world; the preferences name the bus (no environment variable), the repository and a pool of 1, plus
 * `extraPrefs`. Claude Code's config directory is `<root>/claude` (CLAUDE_CONFIG_DIR of serve): empty until a test writes records there.
 * `extraEnv` adds to serve's environment (e.g. CODEX_HOME inside `root`, so nothing outside the world is written).
 */
export async function makeWorld(extraPrefs: Record<string, unknown> = {}, extraEnv: (root: string) => NodeJS.ProcessEnv = () => ({})): Promise<World> {
  const { root, home, bus, repo, poolRoot, prefsFile } = makeDashboardDirs("otto-e2e-", { poolSize: 1, identities: ["otto-cli"] });
  writeFileSync(prefsFile, JSON.stringify({ ...(JSON.parse(readFileSync(prefsFile, "utf8")) as object), ...extraPrefs }, null, 2));
  const env = { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: join(root, "claude"), ...extraEnv(root) };
  const serve = await startServe(["--home", home], env);
  return {
    root,
    home,
    bus,
    repo,
    poolRoot,
    prefsFile,
    serve,
    beat: (surface, payload, secondsAgo = 0) => writeHeartbeat(bus, surface, payload, secondsAgo),
    dispose: async () => {
      await serve.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
