// The directories a dashboard run needs (used by the Playwright walk and the idle benchmark): a private bus, a state
// directory whose preferences name the bus, a git repository with an origin, and a pool root. No test runner here.
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeartbeatPayload } from "../core/bus/envelope";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { makeRepoWithOriginAt } from "./git-repo";

export interface DashboardDirs {
  root: string;
  home: string;
  bus: string;
  repo: string;
  poolRoot: string;
  prefsFile: string;
}

/** Makes the directories and writes preferences naming the bus (no environment variable), the repository and the pool. */
export function makeDashboardDirs(prefix: string, pool: { poolSize: number; identities: string[] }): DashboardDirs {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, "home");
  const bus = join(root, "bus");
  mkdirSync(home);
  mkdirSync(bus, { mode: 0o700 });
  chmodSync(bus, 0o700);
  const { repo } = makeRepoWithOriginAt(root);
  const poolRoot = join(root, "pool");
  const prefsFile = join(home, "preferences.json");
  writeFileSync(prefsFile, JSON.stringify({ busDir: bus, repo, poolRoot, ...pool }, null, 2));
  return { root, home, bus, repo, poolRoot, prefsFile };
}

/** Writes one heartbeat envelope to the bus as SURFACE would, dated SECONDS_AGO in the past. */
export function writeHeartbeat(bus: string, surface: string, payload: HeartbeatPayload, secondsAgo = 0): void {
  writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", payload, from: surface }, new Date(Date.now() - secondsAgo * 1000)));
}
