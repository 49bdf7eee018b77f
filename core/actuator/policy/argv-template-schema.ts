// Auto mode's allowlist entries as data: argv templates (a program, a subcommand, and for each option whether it is
// allowed and what its value may be), their schema for preferences, how they read, and old string entries converted.
import { z } from "zod";

/** What an option's value or a positional argument may be. */
export const VALUE_KINDS = ["path", "revision", "revision-or-path", "number", "word", "text", "test-id"] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

const optionName = z.string().regex(/^--?[A-Za-z0-9][A-Za-z0-9-]*$/, "an option such as -q or --stat");
const plainWord = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/, "a plain word (letters, digits, . _ : + -)").max(100);
const valueRule = z.union([z.literal("flag"), z.enum(VALUE_KINDS), z.strictObject({ oneOf: z.array(plainWord).min(1).max(50) })]);

export const argvTemplateSchema = z.strictObject({
  /** The program's file name (`npm`, `git`, `pytest`): compared without case, after wrappers and runners. */
  program: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "a program name without a path").max(100),
  /** Words that must follow the program exactly (`["run", "lint"]`). */
  subcommand: z.array(plainWord).max(4).default([]),
  /** Each allowed option: `flag` (no value) or what its value may be (given as `--opt=V`, `--opt V`, `-oV` or `-o V`). */
  options: z.record(optionName, valueRule).default({}),
  /** Options that must be given (`--noEmit` for tsc). */
  required: z.array(optionName).max(10).default([]),
  /** What positional arguments may be, and how many; none when absent. */
  positionals: z.strictObject({ kind: z.enum(VALUE_KINDS), max: z.number().int().min(1).max(100) }).optional(),
  /** May be run through a package runner (npx, pnpm exec…) when the binary is in the project's node_modules/.bin. */
  viaRunner: z.boolean().default(false),
});

export type ArgvTemplate = z.output<typeof argvTemplateSchema>;
export type ArgvTemplateInput = z.input<typeof argvTemplateSchema>;
export type ValueRule = ArgvTemplate["options"][string];

/** An allowlist read from preferences: templates, and the string entries that could not become one (with why). */
export interface Allowlist {
  templates: ArgvTemplate[];
  dropped: { entry: string; why: string }[];
}

/**
 * Preferences may still hold the old string entries: one without `*` becomes the exact argv it names (split on
 * spaces; no options, no arguments); one with `*` matched any text and is dropped, named, never widened to a template.
 */
export function allowlistFrom(entries: readonly (string | ArgvTemplate)[]): Allowlist {
  const list: Allowlist = { templates: [], dropped: [] };
  for (const entry of entries) {
    if (typeof entry !== "string") {
      list.templates.push(entry);
      continue;
    }
    const words = entry.trim().split(/\s+/);
    if (entry.includes("*")) list.dropped.push({ entry, why: "a pattern with * matched any text; write it as a template of the options it may take" });
    else if (words.length === 0 || words.some((w) => !/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/.test(w)) || words.length > 5) list.dropped.push({ entry, why: "not a plain program and subcommand" });
    else list.templates.push({ program: words[0] as string, subcommand: words.slice(1), options: {}, required: [], viaRunner: false });
  }
  return list;
}

/** How a template reads to a person: `git diff [--stat] [--cached] [REVISION-OR-PATH…]`. */
export function describeTemplate(template: ArgvTemplate): string {
  const options = Object.entries(template.options).map(([name, rule]) => {
    const value = rule === "flag" ? "" : typeof rule === "object" ? `=${rule.oneOf.join("|")}` : ` ${rule.toUpperCase()}`;
    return template.required.includes(name) ? `${name}${value}` : `[${name}${value}]`;
  });
  const positionals = template.positionals === undefined ? [] : [`[${template.positionals.kind.toUpperCase()}${template.positionals.max > 1 ? "…" : ""}]`];
  return [template.program, ...template.subcommand, ...options, ...positionals].join(" ");
}
