// Classifies a dialog option by its label: the only basis for choosing an answer (never its position).
import type { OptionMeaning } from "./types";

// Order matters: "Yes, and don't ask again" is a yes, but not a single-use one.
const MEANINGS: readonly [RegExp, OptionMeaning][] = [
  [/\bswitch to (auto mode|accept edits)\b|\bset auto mode\b/i, "switch-mode"],
  [/^yes\b.*\b(don['’]t ask again|always allow|for this session|from this project)\b/i, "allow-always"],
  [/^yes\.?$/i, "allow-once"],
  [/^no\b/i, "deny"],
];

/** What choosing the option labelled `label` would do. */
export function optionMeaning(label: string): OptionMeaning {
  for (const [pattern, meaning] of MEANINGS) if (pattern.test(label.trim())) return meaning;
  return "other";
}
