// The agents a surface can be (docs/agents.md): each has its own hooks file and events; Claude Code unless said.
export const AGENTS = ["claude-code", "codex", "gemini"] as const;
export type Agent = (typeof AGENTS)[number];

/** How each agent is called to the person (the CLI, the popover and the confirmations say the same). */
export const AGENT_DISPLAY_NAMES: Readonly<Record<Agent, string>> = { "claude-code": "Claude Code", codex: "Codex", gemini: "Gemini CLI" };

/** The longest a Codex PermissionRequest hook may hold Codex's dialog back (its installed timeout sits above it). */
export const CODEX_PERMISSION_WAIT_MAX_SECONDS = 300;
/** Default of actuator.codexPermissionWaitSeconds: long enough to confirm from the popover, short beside a person's wait. */
export const DEFAULT_CODEX_PERMISSION_WAIT_SECONDS = 20;
