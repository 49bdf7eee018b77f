// A PermissionRequest hook's input seen as a prompt: the tool and its command or file, for plans and the policy.
import { canonicalJson } from "../../canonical-json";
import type { PermissionPrompt } from "../screen/types";

/** What Claude Code's PermissionRequest hook receives about the action (there is no tool_use_id). */
export interface PermissionRequestInput {
  sessionId: string;
  toolName: string;
  toolInput: unknown;
  cwd: string;
}

/** A stable key for "the same tool with the same input" (object keys sorted). */
export function toolKey(toolName: string, toolInput: unknown): string {
  return canonicalJson([toolName, toolInput]);
}

function field(input: unknown, name: string): string | undefined {
  const value = (input as Record<string, unknown> | null)?.[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The request as the prompt a person would see. The hook's only answers are allow (a single use) and deny, so the
 * options are those two. Tools other than Bash, Write and Edit are `other`, which the policy never allows.
 */
export function promptFromRequest(request: PermissionRequestInput): PermissionPrompt {
  // The hook answers with a decision, not keys: the numbers only give each answer a name.
  const options = [
    { label: "Yes", number: 1, highlighted: false, meaning: "allow-once" as const },
    { label: "No", number: 2, highlighted: false, meaning: "deny" as const },
  ];
  const command = field(request.toolInput, "command");
  const file = field(request.toolInput, "file_path");
  if (request.toolName === "Bash" && command !== undefined) {
    return { kind: "permission", tool: "bash", title: "Bash command", subject: command, description: field(request.toolInput, "description") ?? null, question: "Do you want to proceed?", options };
  }
  if ((request.toolName === "Write" || request.toolName === "Edit" || request.toolName === "MultiEdit") && file !== undefined) {
    const tool = request.toolName === "Write" ? "create-file" : "edit-file";
    return { kind: "permission", tool, title: tool === "create-file" ? "Create file" : "Edit file", subject: file, description: null, question: `Do you want to ${tool === "create-file" ? "create" : "make this edit to"} ${file}?`, options };
  }
  return { kind: "permission", tool: "other", title: request.toolName, subject: JSON.stringify(request.toolInput ?? null).slice(0, 500), description: null, question: "Do you want to proceed?", options };
}
