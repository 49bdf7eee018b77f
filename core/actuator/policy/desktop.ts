// The policy for Claude Desktop's prompts, read through the accessibility tree as texts: a text is either one of the
// known headings (matched whole) or a command judged like any other; a text that is neither is refused.
import type { PolicyContext, PolicyDecision } from "./decide";
import { judgeCommandText, unusableReason } from "./judge";

// What a prompt's words may say that Otto Tray must not allow on a person's behalf without reading a command.
// Letters only count as a word's edge, so tool names such as delete_file and remove-branch match too.
const DESTRUCTIVE_WORDS = /(?<![a-z])(delete|deleting|remove|removing|erase|wipe|format|drop|truncate|overwrite|rm|rmdir|sudo|force[- ]?push|push --force|reset --hard|password|passwd|secret|token|credential|private key|keychain|ssh)(?![a-z])/i;

// The headings Claude Desktop puts above what it asks about, each matched as a whole text.
const HEADINGS = [/^Allow Claude to run a command\?$/, /^Allow Claude to use [A-Za-z0-9_.-]{1,80}( from [A-Za-z0-9 _.-]{1,80})?\?$/, /^Claude wants to use [A-Za-z0-9_.-]{1,80}$/];

/** Whether the single-use "Allow once" may be given to a Claude Desktop prompt showing `texts`. */
export function decideDesktopPrompt(texts: readonly string[], options: Pick<PolicyContext, "projectDir" | "mode" | "extraBlocklist" | "problem">): PolicyDecision {
  if (options.problem) return { allowed: false, refusal: "blocked", reason: unusableReason(options.problem) };
  if (texts.length === 0) return { allowed: false, refusal: "unrecognised", reason: "the prompt shows no text to judge" };
  for (const text of texts) {
    const word = DESTRUCTIVE_WORDS.exec(text);
    if (word) return { allowed: false, refusal: "blocked", reason: `the prompt mentions "${word[1]}"` };
  }
  for (const text of texts) {
    if (HEADINGS.some((heading) => heading.test(text))) continue;
    const judged = judgeCommandText(text, { projectDir: options.projectDir, mode: "manual", autoAllowlist: [], extraBlocklist: options.extraBlocklist ?? [] });
    if (judged.verdict !== "allowed") {
      const refusal = judged.verdict === "not-allowlisted" ? "unjudgeable" : judged.verdict;
      return { allowed: false, refusal, reason: `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}": ${judged.reason}` };
    }
  }
  if (options.mode === "auto") return { allowed: false, refusal: "not-allowlisted", reason: "auto mode never answers Claude Desktop's prompts; a person must confirm" };
  return { allowed: true, reason: "a single-use Allow once to a prompt on no blocklist" };
}
