// Matches the exact argv that would run against an argv template: nothing outside the template passes.
import type { ArgvTemplate, ValueRule } from "./argv-template-schema";
import { isShortCluster, longOption } from "./program-names";
import { insideProject, type WorkingDirs } from "./project-paths";

/** Why `args` (after the program) do not fit `template`, or undefined when they do. */
export function templateMismatch(template: ArgvTemplate, args: readonly string[], dirs: WorkingDirs): string | undefined {
  const sub = template.subcommand;
  if (sub.some((word, i) => args[i] !== word)) return `it is not ${[template.program, ...sub].join(" ")}`;
  const seen = new Set<string>();
  let positionals = 0;
  let afterDashes = false;
  for (let i = sub.length; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!afterDashes && arg === "--" && template.positionals !== undefined) {
      afterDashes = true;
      continue;
    }
    if (afterDashes || !arg.startsWith("-") || arg === "-") {
      positionals++;
      if (template.positionals === undefined) return `it takes no further arguments (${arg})`;
      if (positionals > template.positionals.max) return `it takes at most ${template.positionals.max} arguments`;
      const bad = valueProblem(template.positionals.kind, arg, dirs);
      if (bad !== undefined) return `${arg}: ${bad}`;
      continue;
    }
    const step = readOption(template, args, i, dirs);
    if (typeof step === "string") return step;
    for (const name of step.names) seen.add(name);
    i = step.next;
  }
  const missing = template.required.find((name) => !seen.has(name));
  return missing === undefined ? undefined : `it needs ${missing}`;
}

// Reads the option at args[i]: `--name`, `--name=value`, `--name value`, `-x`, `-xVALUE`, `-x VALUE`, `-abc` (flags).
function readOption(template: ArgvTemplate, args: readonly string[], i: number, dirs: WorkingDirs): { names: string[]; next: number } | string {
  const arg = args[i] ?? "";
  // `-run=X` / `-count 1` (Go's single-dash long options) are looked up whole before `-xVALUE` is tried.
  const whole = longOption(arg);
  const { name, value } = arg.startsWith("--") || Object.hasOwn(template.options, whole.name) ? whole : { name: arg.slice(0, 2), value: arg.length > 2 ? arg.slice(2) : undefined };
  const rule: ValueRule | undefined = Object.hasOwn(template.options, name) ? template.options[name] : undefined;
  if (rule === undefined) return `the option ${name} is not allowed`;
  if (rule === "flag") {
    if (value === undefined) return { names: [name], next: i };
    if (arg.startsWith("--") || !isShortCluster(arg)) return `the option ${name} takes no value`;
    // `-abc`: every letter must be an allowed flag.
    const letters = [...arg.slice(1)].map((l) => `-${l}`);
    const other = letters.find((l) => !Object.hasOwn(template.options, l) || template.options[l] !== "flag");
    return other === undefined ? { names: letters, next: i } : `the option ${other} is not allowed here`;
  }
  const given = value ?? args[i + 1];
  if (given === undefined) return `the option ${name} needs a value`;
  const bad = valueProblem(rule, given, dirs);
  if (bad !== undefined) return `${name} ${given}: ${bad}`;
  return { names: [name], next: value === undefined ? i + 1 : i };
}

const REVISION = /^(?![-.])[A-Za-z0-9._/@{}^~:+-]{1,200}$/;

/** Why `value` is not a `kind`, or undefined. */
export function valueProblem(kind: ValueRule, value: string, dirs: WorkingDirs): string | undefined {
  if (typeof kind === "object") return kind.oneOf.includes(value) ? undefined : `not one of ${kind.oneOf.join(", ")}`;
  switch (kind) {
    case "flag":
      return "takes no value";
    case "number":
      return /^\d{1,9}$/.test(value) ? undefined : "not a number";
    case "word":
      return /^[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,99}$/.test(value) ? undefined : "not a plain word";
    case "text":
      return value.length <= 500 && !value.includes("\n") ? undefined : "not a short one-line text";
    case "revision":
      return REVISION.test(value) && !value.includes("..-") ? undefined : "not a revision";
    case "path":
      return !value.startsWith("-") && insideProject(value, dirs) ? undefined : "not a path inside the project";
    case "revision-or-path":
      return valueProblem("path", value, dirs) === undefined || valueProblem("revision", value, dirs) === undefined ? undefined : "neither a revision nor a path inside the project";
    case "test-id": {
      // pytest node ids: a path inside the project, optionally followed by ::names.
      const path = value.split("::")[0] ?? "";
      return valueProblem("path", path, dirs) === undefined ? undefined : "not a test inside the project";
    }
  }
}

