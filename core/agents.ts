// The agents a surface can be (docs/agents.md): each has its own hooks file and events; Claude Code unless said.
export const AGENTS = ["claude-code", "codex", "gemini"] as const;
export type Agent = (typeof AGENTS)[number];
