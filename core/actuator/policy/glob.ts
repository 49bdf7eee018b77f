// Glob patterns over command lines for the allowlist: `*` matches any run of characters, nothing else is special.

/** True when `pattern` matches the whole of `line` (`npm run *` matches `npm run lint`, not `npm run`). */
export function globMatches(pattern: string, line: string): boolean {
  const escaped = pattern.trim().split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(line.trim());
}

/** Auto mode's default allowlist: commands Claude Code asks about that change nothing outside the project. */
export const DEFAULT_AUTO_ALLOWLIST: readonly string[] = [
  "npm test",
  "npm test *",
  "npm run test",
  "npm run test *",
  "npm run lint",
  "npm run lint *",
  "npm run typecheck",
  "npx vitest run *",
  "npx tsc --noEmit *",
  "npx eslint *",
  "yarn test",
  "pnpm test",
  "pytest",
  "pytest *",
  "cargo test",
  "cargo test *",
  "go test *",
  "make test",
  "git status",
  "git status *",
  "git diff",
  "git diff *",
  "git log",
  "git log *",
  "git show *",
];
