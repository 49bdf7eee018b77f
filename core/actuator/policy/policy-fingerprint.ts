// What auto mode was armed with: a fingerprint of the allowlist and blocklist in force, and whether a later policy
// widens it (a template added or changed, a blocklist entry removed). Widening needs a new confirmation; narrowing never.
import { createHash } from "node:crypto";
import { canonicalJson } from "../../canonical-json";
import { type ArgvTemplate, describeTemplate } from "./argv-template-schema";
import type { ActuatorPolicy } from "./context";

/** Stored with the armed switch: one digest per template, the blocklist entries, and a digest of the whole. */
export interface PolicyFingerprint {
  digest: string;
  templates: string[];
  blocklist: string[];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

// Keys sorted at every level: the same template written in another key order is the same template.
export function templateDigest(template: ArgvTemplate): string {
  return sha256(canonicalJson(template));
}

// A blocklist entry is its words: spacing does not change what it matches.
const normalEntry = (entry: string) => entry.trim().split(/\s+/).join(" ");

export function policyFingerprint(policy: Pick<ActuatorPolicy, "templates" | "blocklist">): PolicyFingerprint {
  const templates = [...new Set(policy.templates.map(templateDigest))].sort();
  const blocklist = [...new Set(policy.blocklist.map(normalEntry))].sort();
  return { digest: sha256(canonicalJson({ templates, blocklist })).slice(0, 16), templates, blocklist };
}

/**
 * How `current` is wider than what was armed, in words, or undefined when it is not. Any template not armed as it
 * is now counts (added, or changed: a change is judged a widening unless it is a pure removal); so does any armed
 * blocklist entry no longer there.
 */
export function wideningOf(armed: PolicyFingerprint, current: Pick<ActuatorPolicy, "templates" | "blocklist">): string | undefined {
  const armedTemplates = new Set(armed.templates);
  const added = current.templates.filter((t) => !armedTemplates.has(templateDigest(t)));
  const currentBlocklist = new Set(current.blocklist.map(normalEntry));
  const removed = armed.blocklist.filter((entry) => !currentBlocklist.has(entry));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`the allowlist gained or changed ${added.slice(0, 3).map((t) => `"${describeTemplate(t)}"`).join(", ")}${added.length > 3 ? ` and ${added.length - 3} more` : ""}`);
  if (removed.length > 0) parts.push(`the blocklist lost ${removed.slice(0, 3).map((e) => `"${e}"`).join(", ")}${removed.length > 3 ? ` and ${removed.length - 3} more` : ""}`);
  return parts.length === 0 ? undefined : parts.join("; ");
}

/** Reads a stored fingerprint back; anything malformed is undefined (and auto mode then reads as needing to be armed again). */
export function parseFingerprint(value: unknown): PolicyFingerprint | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === "string");
  if (typeof v.digest !== "string" || !strings(v.templates) || !strings(v.blocklist)) return undefined;
  return { digest: v.digest, templates: v.templates, blocklist: v.blocklist };
}
