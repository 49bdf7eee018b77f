// The policy: may Otto Tray give this answer to this prompt? The blocklist always wins; then the allowlist.
import type { ChosenAnswer } from "../screen/answer";
import type { PermissionPrompt } from "../screen/types";
import { blockReason, insideProject } from "./blocklist";
import { globMatches } from "./glob";
import { parseShell } from "./shell-words";

/** Why the policy said no; `blocked`, `unjudgeable` and `unrecognised` escalate, `not-allowlisted` waits for a person. */
export type PolicyRefusal = "blocked" | "unjudgeable" | "not-allowlisted" | "unrecognised";

export type PolicyDecision = { allowed: true; reason: string } | { allowed: false; refusal: PolicyRefusal; reason: string };

export interface PolicyContext {
  /** The directory the surface works in: writes outside it are blocked. */
  projectDir: string;
  /** `manual` (a person confirms each answer) or `auto` (no one does: only allowlisted commands). */
  mode: "manual" | "auto";
  /** Auto mode's allowlist: glob patterns over a whole simple command ("npm test", "git diff *"). */
  autoAllowlist: readonly string[];
  /** Extra patterns the user blocks, checked with the built-in blocklist. */
  extraBlocklist?: readonly string[];
}

/** Decides whether `answer` may be given to `prompt`. Only a single-use yes is ever allowed. */
export function decide(prompt: PermissionPrompt, answer: ChosenAnswer, context: PolicyContext): PolicyDecision {
  if (answer.option.meaning !== "allow-once") {
    return { allowed: false, refusal: "blocked", reason: `only a single-use "Yes" may be given, not "${answer.option.label}"` };
  }
  if (prompt.tool === "create-file" || prompt.tool === "edit-file") return decideFile(prompt.subject, context);
  if (prompt.tool !== "bash") return { allowed: false, refusal: "unrecognised", reason: `a ${prompt.title} prompt is not one Otto Tray answers` };
  return decideCommand(prompt.subject, context);
}

function decideFile(path: string, context: PolicyContext): PolicyDecision {
  const blocked = blockReason({ words: ["touch", path], redirects: [] }, context.projectDir);
  if (blocked !== undefined) return { allowed: false, refusal: "blocked", reason: blocked.replace("touch", "file") };
  if (!insideProject(path, context.projectDir)) return { allowed: false, refusal: "blocked", reason: `it writes outside the project (${path})` };
  if (context.mode === "auto") return { allowed: false, refusal: "not-allowlisted", reason: "auto mode never writes files; a person must confirm" };
  return { allowed: true, reason: `a single-use yes to write ${path} inside the project` };
}

function decideCommand(text: string, context: PolicyContext): PolicyDecision {
  const parsed = parseShell(text);
  if (!parsed.ok) return { allowed: false, refusal: "blocked", reason: `the command cannot be judged: ${parsed.reason}` };
  for (const command of parsed.commands) {
    const line = command.words.join(" ");
    const userBlocked = context.extraBlocklist?.find((pattern) => globMatches(pattern, line));
    if (userBlocked !== undefined) return { allowed: false, refusal: "blocked", reason: `it matches the blocklist pattern "${userBlocked}"` };
    const blocked = blockReason(command, context.projectDir);
    if (blocked !== undefined) return { allowed: false, refusal: "blocked", reason: blocked };
  }
  if (context.mode === "manual") return { allowed: true, reason: "a single-use yes to a command on no blocklist" };
  for (const command of parsed.commands) {
    const line = command.words.join(" ");
    if (command.redirects.some((t) => t !== "/dev/null")) return { allowed: false, refusal: "not-allowlisted", reason: `auto mode does not write files (${line})` };
    if (!context.autoAllowlist.some((pattern) => globMatches(pattern, line))) {
      return { allowed: false, refusal: "not-allowlisted", reason: `"${line}" is not on auto mode's allowlist` };
    }
  }
  return { allowed: true, reason: "every command is on auto mode's allowlist" };
}
