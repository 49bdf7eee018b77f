// `hooks install` / `uninstall` for a Codex or Gemini surface: the agent's own file, the result said as for Claude Code,
// and what the person must still do (Codex: trust the new hooks once; Gemini: its prompts are answered in Gemini).
import { AGENT_DISPLAY_NAMES, type Agent } from "../../core/agents";
import { AGENT_INSTALL_NOTES, agentSettingsFile, installAgentHooks, uninstallAgentHooks } from "../../core/hooks/agents/agent-install";
import { UsageError } from "../../core/errors";
import type { CliIO } from "../context";
import { writeJson } from "../output";

export interface AgentHooksCommand {
  action: "install" | "uninstall";
  agent: Exclude<Agent, "claude-code">;
  surface: string;
  settings: string | undefined;
  executable: string;
  passOn: string[];
  homeDir: string;
  json: boolean;
  /** Options only Claude Code's hooks take, if given (refused by name). */
  claudeOnly: string[];
}

export async function runAgentHooks(command: AgentHooksCommand, io: CliIO): Promise<number> {
  const name = AGENT_DISPLAY_NAMES[command.agent];
  if (command.claudeOnly.length > 0) throw new UsageError(`${command.claudeOnly.join(", ")}: only Claude Code's hooks take ${command.claudeOnly.length === 1 ? "it" : "them"} (${command.surface} is a ${name} surface)`, "leave it out, or pass --agent claude-code");
  const settingsFile = agentSettingsFile(command.agent, io.env, command.settings);
  const base = { agent: command.agent, settingsFile, surface: command.surface, homeDir: command.homeDir };
  const result = command.action === "install" ? await installAgentHooks({ ...base, executable: command.executable, passOn: command.passOn }) : await uninstallAgentHooks(base);
  const note = command.action === "install" ? AGENT_INSTALL_NOTES[command.agent] : null;
  if (command.json) {
    writeJson(io.stdout, { action: command.action, surface: command.surface, agent: command.agent, settingsFile: result.settingsFile, changed: result.changed, events: result.events, backup: result.backup ?? null, command: result.command ?? null, note });
    return 0;
  }
  const verb = command.action === "install" ? "installed" : "uninstalled";
  const lines = result.changed ? [`${name} hooks for ${command.surface} ${verb} in ${result.settingsFile}`, `  events:  ${result.events.join(", ") || "-"}`] : [`${name} hooks for ${command.surface} already ${verb} in ${result.settingsFile}; nothing changed`];
  if (result.changed && result.command !== undefined) lines.push(`  command: ${result.command}`);
  if (result.backup !== undefined) lines.push(`  backup:  ${result.backup}`);
  if (note !== null) lines.push(`note: ${note}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
