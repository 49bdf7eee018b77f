// A throwaway world for a Codex or Gemini surface under test: a git repository, Otto Tray's state and bus, and
// preferences naming the surface and its agent; `cli` runs the built otto-tray against it, `state` reads the surface.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./cli";
import { git, GIT_TEST_ENV } from "./git";
import { makeTempDir } from "./temp";

export interface SurfaceView {
  id: string;
  state: string;
  waiting: string | null;
  reason?: string;
  agent?: string;
  briefAckStreak?: number;
}

export function agentWorld(name: string, surface: string, agent: "codex" | "gemini", prefs: Record<string, unknown> = {}) {
  const root = makeTempDir(`otto-agent-${name}-`);
  const repo = join(root, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env: { ...process.env, ...GIT_TEST_ENV } });
  writeFileSync(join(repo, "README.md"), "# throwaway repo\n");
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "init"]);
  const otto = join(root, "otto");
  const bus = join(root, "bus");
  execFileSync("mkdir", ["-m", "700", otto, bus]);
  writeFileSync(join(otto, "preferences.json"), JSON.stringify({ busDir: bus, surfaces: ["otto-cli", { id: surface, agent }], ...prefs }));
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, "--home", otto], { env: { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", ...env } });
  const state = (): SurfaceView | undefined => {
    const status = JSON.parse(cli(["status", "--json"]).stdout) as { surfaces: SurfaceView[] };
    return status.surfaces.find((s) => s.id === surface);
  };
  const hookLog = () => {
    try {
      return readFileSync(join(otto, "logs", "hook.log"), "utf8");
    } catch {
      return "(none)";
    }
  };
  return { root, repo, otto, bus, cli, state, hookLog };
}

export type AgentWorld = ReturnType<typeof agentWorld>;
