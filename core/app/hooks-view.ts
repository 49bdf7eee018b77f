// Whether each watched surface's hooks are installed and current (in its agent's own file), and whether Claude Code's
// auto mode hides dialogs.
import type { z } from "zod";
import type { Agent } from "../agents";
import type { hooksViewSchema } from "../api";
import { describeError } from "../errors";
import { agentHooksCurrent, agentHooksStatus, agentSettingsFile } from "../hooks/agents/agent-install";
import { defaultSettingsFile, readSettings } from "../hooks/settings-file";
import { inspectHooks, permissionModeAdvice } from "../hooks/status";
import type { Prefs } from "../prefs/schema";

export type HooksView = z.infer<typeof hooksViewSchema>;
type SurfaceRow = HooksView["surfaces"][number];

/**
 * Reads Claude Code's settings file, and Codex's or Gemini's for their surfaces (read only); a file that cannot be read
 * is reported, never guessed. `installCommand` says what "Install hooks" would write for a surface (null: the service
 * knows no command).
 */
export function readHooksView(prefs: Prefs, env: NodeJS.ProcessEnv = process.env, installCommand: (surface: string, agent: Agent) => string | null = () => null): HooksView {
  const settingsFile = defaultSettingsFile(env);
  const agentRow = (id: string, agent: Exclude<Agent, "claude-code">): SurfaceRow => {
    const found = agentHooksStatus(agent, agentSettingsFile(agent, env), id);
    return { surface: id, installed: found.installed.length > 0, current: agentHooksCurrent(found), missing: found.missing, outdated: found.outdated, installCommand: installCommand(id, agent), agent, settingsFile: found.settingsFile, problem: found.problem };
  };
  try {
    const document = readSettings(settingsFile);
    const surfaces = prefs.surfaces.map((s): SurfaceRow => {
      if (s.agent !== "claude-code") return agentRow(s.id, s.agent);
      const [found] = inspectHooks(document.value, s.id, prefs.actuator.permissionWaitSeconds);
      return { surface: s.id, installed: (found?.installed.length ?? 0) > 0, current: found?.current ?? false, missing: found?.missing ?? [], outdated: found?.outdated ?? [], installCommand: installCommand(s.id, "claude-code") };
    });
    return { settingsFile: document.path, problem: null, autoModeAdvice: permissionModeAdvice(document.value, document.path).advice, surfaces };
  } catch (error) {
    // Claude Code's file is unusable: its surfaces cannot be told; the other agents' files still can.
    const surfaces = prefs.surfaces.flatMap((s) => (s.agent === "claude-code" ? [] : [agentRow(s.id, s.agent)]));
    return { settingsFile, problem: describeError(error), autoModeAdvice: null, surfaces };
  }
}
