// Auto mode's default allowlist: the usual test, lint, type-check and read-only git commands, each with only the
// options its documentation gives that neither write outside the project, load other code, nor name other programs.
import type { ArgvTemplateInput } from "./argv-template-schema";

type Options = NonNullable<ArgvTemplateInput["options"]>;
const GIT_PAGING: Options = { "--no-pager": "flag" };
const GIT_COLOR: Options = { "--color": { oneOf: ["never", "always", "auto"] }, "--no-color": "flag" };

export const DEFAULT_AUTO_ALLOWLIST: readonly ArgvTemplateInput[] = [
  // npm/yarn/pnpm scripts run the project's own code (as a person running them would): no extra arguments.
  { program: "npm", subcommand: ["test"] },
  { program: "npm", subcommand: ["run", "test"] },
  { program: "npm", subcommand: ["run", "lint"] },
  { program: "npm", subcommand: ["run", "typecheck"] },
  { program: "yarn", subcommand: ["test"] },
  { program: "pnpm", subcommand: ["test"] },
  { program: "make", subcommand: ["test"] },
  // vitest run (https://vitest.dev/guide/cli): filters and reporters only; no --config, --root, --outputFile.
  {
    program: "vitest",
    subcommand: ["run"],
    viaRunner: true,
    options: { "-t": "text", "--testNamePattern": "text", "--reporter": { oneOf: ["default", "verbose", "dot", "basic", "tap", "tap-flat", "junit", "hanging-process"] }, "--bail": "number", "--passWithNoTests": "flag", "--silent": "flag", "--no-color": "flag", "--project": "word", "--shard": "text" },
    positionals: { kind: "path", max: 50 },
  },
  // tsc --noEmit (https://www.typescriptlang.org/docs/handbook/compiler-options.html): checks only, writes nothing.
  { program: "tsc", viaRunner: true, options: { "--noEmit": "flag", "-p": "path", "--project": "path", "--pretty": "flag" }, required: ["--noEmit"] },
  // eslint (https://eslint.org/docs/latest/use/command-line-interface): no --fix, --config, --rulesdir, --plugin, --output-file, custom formatters.
  { program: "eslint", viaRunner: true, options: { "--max-warnings": "number", "--quiet": "flag", "--format": { oneOf: ["stylish", "json", "compact", "unix"] }, "--no-color": "flag" }, positionals: { kind: "path", max: 50 } },
  // pytest (https://docs.pytest.org/en/stable/reference/reference.html#command-line-flags): no -p, -c, --basetemp, --confcutdir, --rootdir, -o, --junitxml.
  {
    program: "pytest",
    options: { "-q": "flag", "-v": "flag", "-x": "flag", "-s": "flag", "-l": "flag", "--exitfirst": "flag", "--lf": "flag", "--ff": "flag", "--last-failed": "flag", "--failed-first": "flag", "-k": "text", "-m": "text", "--maxfail": "number", "--tb": { oneOf: ["auto", "long", "short", "line", "native", "no"] }, "--no-header": "flag", "--co": "flag", "--collect-only": "flag", "--durations": "number" },
    positionals: { kind: "test-id", max: 50 },
  },
  // cargo test (https://doc.rust-lang.org/cargo/commands/cargo-test.html): no --manifest-path, --target-dir, --config, -Z.
  { program: "cargo", subcommand: ["test"], options: { "--lib": "flag", "--bins": "flag", "--tests": "flag", "--doc": "flag", "--workspace": "flag", "-p": "word", "--package": "word", "--release": "flag", "--all-features": "flag", "--no-fail-fast": "flag", "-q": "flag", "--quiet": "flag" }, positionals: { kind: "word", max: 1 } },
  // go test (https://pkg.go.dev/cmd/go#hdr-Test_packages): no -exec, -o, -c, -toolexec, -coverprofile.
  { program: "go", subcommand: ["test"], options: { "-v": "flag", "-run": "text", "-count": "number", "-race": "flag", "-short": "flag", "-timeout": "word", "-cover": "flag", "-failfast": "flag" }, positionals: { kind: "path", max: 50 } },
  // Read-only git (https://git-scm.com/docs): no --output, --ext-diff, --textconv, -c, -C.
  { program: "git", subcommand: ["status"], options: { ...GIT_PAGING, "-s": "flag", "--short": "flag", "-b": "flag", "--branch": "flag", "--porcelain": "flag", "--untracked-files": { oneOf: ["no", "normal", "all"] }, "--ignored": "flag" }, positionals: { kind: "path", max: 50 } },
  {
    program: "git",
    subcommand: ["diff"],
    options: { ...GIT_PAGING, ...GIT_COLOR, "--stat": "flag", "--cached": "flag", "--staged": "flag", "--name-only": "flag", "--name-status": "flag", "--numstat": "flag", "--shortstat": "flag", "--check": "flag", "-U": "number", "--unified": "number", "-w": "flag", "--no-ext-diff": "flag" },
    positionals: { kind: "revision-or-path", max: 50 },
  },
  {
    program: "git",
    subcommand: ["log"],
    options: { ...GIT_PAGING, ...GIT_COLOR, "--oneline": "flag", "-n": "number", "--max-count": "number", "--stat": "flag", "--graph": "flag", "--decorate": "flag", "--all": "flag", "-p": "flag", "--patch": "flag", "--no-ext-diff": "flag", "--since": "word", "--until": "word", "--author": "text", "--grep": "text", "--format": "text", "--pretty": "text" },
    positionals: { kind: "revision-or-path", max: 50 },
  },
  { program: "git", subcommand: ["show"], options: { ...GIT_PAGING, ...GIT_COLOR, "--stat": "flag", "--name-only": "flag", "--name-status": "flag", "--oneline": "flag", "--no-ext-diff": "flag", "--format": "text", "--pretty": "text" }, positionals: { kind: "revision-or-path", max: 20 } },
];
