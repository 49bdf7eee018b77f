// Claude Code 2.1.330's recorded hook inputs, one per event (fixtures/claude-code-real/hook-events-examples.json).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "./cli";

export const hookExamples = JSON.parse(readFileSync(join(FIXTURES, "claude-code-real", "hook-events-examples.json"), "utf8")) as Record<string, { stdin: Record<string, unknown> }>;

/** The recorded stdin of one example (e.g. "PreToolUse", "Notification:permission_prompt"); throws for an unknown key. */
export function hookExample(key: string): Record<string, unknown> {
  const found = hookExamples[key];
  if (found === undefined) throw new Error(`no recorded example ${key}`);
  return found.stdin;
}
