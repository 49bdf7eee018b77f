// The policy: may Otto Tray give this answer to this prompt? The blocklist always wins; a text that cannot be judged
// is refused; then, in auto mode, only exact argv templates. Judges the syntax tree, never the text.
import type { ChosenAnswer } from "../screen/answer";
import type { PermissionPrompt } from "../screen/types";
import type { ArgvTemplate } from "./argv-template-schema";
import { blockVerdict } from "./blocklist";
import { firstHiddenCharacter } from "./hidden-characters";
import { judgeCommandText, unusableReason } from "./judge";
import { insideProject, workingDirs } from "./project-paths";

/** Why the policy said no; `blocked`, `unjudgeable` and `unrecognised` escalate, `not-allowlisted` waits for a person. */
export type PolicyRefusal = "blocked" | "unjudgeable" | "not-allowlisted" | "unrecognised";
export type PolicyDecision = { allowed: true; reason: string } | { allowed: false; refusal: PolicyRefusal; reason: string };

export interface PolicyContext {
  /** The directory the surface works in: writes outside it are blocked. Null when unknown: every write is outside. */
  projectDir: string | null;
  /** `manual` (a person confirms each answer) or `auto` (no one does: only allowlisted commands). */
  mode: "manual" | "auto";
  /** Auto mode's allowlist: exact argv templates. */
  autoAllowlist: readonly ArgvTemplate[];
  /** The person's blocklist entries, matched against argv, checked with the built-in blocklist. */
  extraBlocklist?: readonly string[];
  /** Why the preferences' actuator section cannot be used: every answer is then refused as blocked, naming it. */
  problem?: string | null;
}

/** Decides whether `answer` may be given to `prompt`. Only a single-use yes is ever allowed. Load the parser first. */
export function decide(prompt: PermissionPrompt, answer: ChosenAnswer, context: PolicyContext): PolicyDecision {
  if (context.problem) return { allowed: false, refusal: "blocked", reason: unusableReason(context.problem) };
  if (answer.option.meaning !== "allow-once") {
    return { allowed: false, refusal: "blocked", reason: `only a single-use "Yes" may be given, not "${answer.option.label}"` };
  }
  if (prompt.incomplete !== undefined) return { allowed: false, refusal: "unjudgeable", reason: `the whole prompt could not be read: ${prompt.incomplete}` };
  if (prompt.tool === "create-file" || prompt.tool === "edit-file") return decideFile(prompt.subject, context);
  if (prompt.tool !== "bash") return { allowed: false, refusal: "unrecognised", reason: `a ${prompt.title} prompt is not one Otto Tray answers` };
  const judged = judgeCommandText(prompt.subject, context);
  if (judged.verdict === "allowed") return { allowed: true, reason: judged.reason };
  return { allowed: false, refusal: judged.verdict, reason: judged.reason };
}

function decideFile(path: string, context: PolicyContext): PolicyDecision {
  const hidden = firstHiddenCharacter(path);
  if (hidden !== undefined) return { allowed: false, refusal: "unjudgeable", reason: `the file name holds an invisible or control character (${hidden})` };
  const dirs = workingDirs(context.projectDir);
  const blocked = blockVerdict({ argv: ["touch", path], assignments: [], redirects: [], source: path }, { name: "touch", args: [path], via: [] }, dirs);
  if (blocked !== undefined) return { allowed: false, refusal: blocked.refusal, reason: blocked.reason.replace("touch", "file") };
  if (!insideProject(path, dirs)) return { allowed: false, refusal: "blocked", reason: `it writes outside the project (${path})` };
  // Git's configuration and hooks are code git runs later: writing them is not a plain edit.
  if (path.split(/[/\\]/).some((part) => part.toLowerCase() === ".git")) return { allowed: false, refusal: "blocked", reason: `it changes git's configuration or hooks, which run code (${path})` };
  if (context.mode === "auto") return { allowed: false, refusal: "not-allowlisted", reason: "auto mode never writes files; a person must confirm" };
  return { allowed: true, reason: `a single-use yes to write ${path} inside the project` };
}
