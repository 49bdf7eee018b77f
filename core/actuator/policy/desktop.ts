// The policy for Claude Desktop's prompts, read through the accessibility tree as texts: the blocklist applies to
// every text (as a command where it parses, and for credentials and destructive words everywhere); auto mode never.
import type { PolicyDecision } from "./decide";
import { blockReason } from "./blocklist";
import { parseShell } from "./shell-words";

// What a prompt's words may say that Otto Tray must not allow on a person's behalf without reading a command.
// Letters only count as a word's edge, so tool names such as delete_file and remove-branch match too.
const DESTRUCTIVE_WORDS = /(?<![a-z])(delete|deleting|remove|removing|erase|wipe|format|drop|truncate|overwrite|rm|rmdir|sudo|force[- ]?push|push --force|reset --hard|password|passwd|secret|token|credential|private key|keychain|ssh)(?![a-z])/i;

/** Whether the single-use "Allow once" may be given to a Claude Desktop prompt showing `texts`. */
export function decideDesktopPrompt(texts: readonly string[], options: { projectDir: string; mode: "manual" | "auto" }): PolicyDecision {
  if (texts.length === 0) return { allowed: false, refusal: "unrecognised", reason: "the prompt shows no text to judge" };
  for (const text of texts) {
    const word = DESTRUCTIVE_WORDS.exec(text);
    if (word) return { allowed: false, refusal: "blocked", reason: `the prompt mentions "${word[1]}"` };
    const parsed = parseShell(text);
    if (!parsed.ok) continue;
    for (const command of parsed.commands) {
      const blocked = blockReason(command, options.projectDir);
      if (blocked !== undefined) return { allowed: false, refusal: "blocked", reason: blocked };
    }
  }
  if (options.mode === "auto") return { allowed: false, refusal: "not-allowlisted", reason: "auto mode never answers Claude Desktop's prompts; a person must confirm" };
  return { allowed: true, reason: "a single-use Allow once to a prompt on no blocklist" };
}
