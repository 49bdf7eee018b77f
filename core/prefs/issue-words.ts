// A zod issue of the preferences schema in the person's words: what the field must be, never "Invalid input".
import type { z } from "zod";

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text in quotes",
  boolean: "true or false",
  array: "a list in [ ]",
  object: "an object in { }",
};

/** "a.b[0]" for an issue path. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(top level)";
}

function sizeWords(issue: { origin?: string; minimum?: number | bigint; maximum?: number | bigint }, bound: "at least" | "at most"): string {
  const n = Number(issue.minimum ?? issue.maximum);
  if (issue.origin === "array" || issue.origin === "set") return n === 1 && bound === "at least" ? "must not be an empty list" : `must have ${bound} ${n} entries`;
  if (issue.origin === "string") return n === 1 && bound === "at least" ? "must not be empty" : `must be ${bound} ${n} characters`;
  return `must be ${bound} ${n}`;
}

/** The message of one issue in words. Messages the schema wrote itself (ranges, surface ids) are kept as they are. */
export function issueInWords(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.message.startsWith("Invalid input") ? `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}` : issue.message;
    case "too_small":
      return issue.message.startsWith("Too small") ? sizeWords(issue, "at least") : issue.message;
    case "too_big":
      return issue.message.startsWith("Too big") ? sizeWords(issue, "at most") : issue.message;
    case "unrecognized_keys":
      return `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_union":
      // A surface is an id or an object with one: name what each form needs rather than "Invalid input".
      return "must be a surface id (a-z, 0-9, '-') or an object such as { \"id\": \"otto-cli\", \"activityFiles\": [] }";
    default:
      return issue.message.startsWith("Invalid") ? "has a value that is not allowed here" : issue.message;
  }
}

/** `field: message` lines of `issues`, joined with "; " (the field always named). */
export function issuesInWords(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues.map((issue) => `${pathText([...prefix, ...issue.path])}: ${issueInWords(issue)}`).join("; ");
}
