// Otto Tray's hooks in a Gemini CLI `settings.json` (`~/.gemini/settings.json`): Claude Code's file shape with Gemini's
// events, a `name` per handler and timeouts in milliseconds (as Gemini CLI 0.61.0 reads them).
import type { HooksProfile } from "../settings";
import { GEMINI_EVENTS } from "./agent-map";

/** Gemini waits this long for a handler (milliseconds); the handler takes milliseconds. */
export const GEMINI_HOOK_TIMEOUT_MS = 10_000;

/** Gemini's profile for `surface`: every installed event, in a group matching every occurrence ("*"). */
export function geminiProfile(surface: string, command: string): HooksProfile {
  return {
    events: GEMINI_EVENTS,
    entry: () => ({ name: `otto-tray-${surface}`, type: "command", command, timeout: GEMINI_HOOK_TIMEOUT_MS }),
    group: () => ({ matcher: "*" }),
    fits: (_event, group) => group.matcher === "*" || group.matcher === undefined || group.matcher === "",
  };
}
