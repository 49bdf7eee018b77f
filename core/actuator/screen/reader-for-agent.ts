// The screen reader for a surface's agent: only the agent's own reader is used on its screen (another agent's dialog drawn inside it is not a prompt).
import type { Agent } from "../../agents";
import { readGeminiScreen } from "./gemini-screen";
import { readScreen } from "./read-screen";
import type { ScreenReading } from "./types";

export interface ScreenReader {
  agent: Agent;
  read(screen: string): ScreenReading;
  /**
   * False when the screen is not read at all (Codex): the host then publishes no heartbeats from it, which would
   * only say "alive" and overwrite what the agent's hooks said (waiting, idle).
   */
  readsScreen: boolean;
}

const CODEX_UNREAD = "Codex's dialog is answered through its PermissionRequest hook, not read from the screen";

const READERS: Readonly<Record<Agent, ScreenReader>> = {
  "claude-code": { agent: "claude-code", read: readScreen, readsScreen: true },
  gemini: { agent: "gemini", read: readGeminiScreen, readsScreen: true },
  codex: { agent: "codex", read: () => ({ kind: "unrecognised", reason: CODEX_UNREAD }), readsScreen: false },
};

/** The reader for `agent`'s screen. */
export function screenReaderFor(agent: Agent): ScreenReader {
  return READERS[agent];
}
