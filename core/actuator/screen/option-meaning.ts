// Classifies a dialog option by its label: the only basis for choosing an answer (never its position).
import type { OptionMeaning } from "./types";

// Order matters: "Yes, and don't ask again" is a yes, but not a single-use one.
// Claude Code's terminal says Yes / No; Claude Desktop's buttons say "Allow once", "Allow for This Chat", "Deny";
// Gemini CLI says "Allow once", "Allow for this session", "Allow for all future sessions", "No, suggest changes (esc)".
const MEANINGS: readonly [RegExp, OptionMeaning][] = [
  [/\bswitch to (auto mode|accept edits)\b|\bset auto mode\b/i, "switch-mode"],
  [/^yes\b.*\b(don['’]t ask again|always allow|for this session|from this project)\b/i, "allow-always"],
  [/^(always allow|allow (for|in) this (chat|conversation|project)|allow always)\b/i, "allow-always"],
  [/^allow\b.*\b(this session|future sessions)\b/i, "allow-always"],
  [/^(yes|allow once|allow this time)\.?$/i, "allow-once"],
  [/^(no|deny|don['’]t allow)\b/i, "deny"],
];

/** What choosing the option labelled `label` would do. */
export function optionMeaning(label: string): OptionMeaning {
  for (const [pattern, meaning] of MEANINGS) if (pattern.test(label.trim())) return meaning;
  return "other";
}
