// The real world the dashboard walk runs in: a private bus, a state directory with preferences, a git repository
// with an origin, `otto-tray serve`, and heartbeats written to the bus as the surfaces would.
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeEnvelope, buildEnvelope } from "../core/bus/writer";
import type { HeartbeatPayload } from "../core/bus/envelope";
import { makeRepoWithOriginAt } from "../test-support/git-repo";
import { type ServeProcess, startServe } from "../test-support/serve";

export interface World {
  root: string;
  home: string;
  bus: string;
  repo: string;
  poolRoot: string;
  prefsFile: string;
  serve: ServeProcess;
  beat(surface: string, payload: HeartbeatPayload, secondsAgo?: number): void;
  dispose(): Promise<void>;
}

/** Builds the world; the preferences name the bus (no environment variable), the repository and a pool of 1. */
export async function makeWorld(): Promise<World> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "otto-e2e-")));
  const home = join(root, "home");
  const bus = join(root, "bus");
  mkdirSync(home);
  mkdirSync(bus, { mode: 0o700 });
  chmodSync(bus, 0o700);
  const { repo } = makeRepoWithOriginAt(root);
  const poolRoot = join(root, "pool");
  const prefsFile = join(home, "preferences.json");
  writeFileSync(prefsFile, JSON.stringify({ busDir: bus, repo, poolRoot, poolSize: 1, identities: ["otto-cli"] }, null, 2));
  const env = { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: join(root, "claude") };
  const serve = await startServe(["--home", home], env);
  return {
    root,
    home,
    bus,
    repo,
    poolRoot,
    prefsFile,
    serve,
    beat: (surface, payload, secondsAgo = 0) => writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", payload, from: surface }, new Date(Date.now() - secondsAgo * 1000))),
    dispose: async () => {
      await serve.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
