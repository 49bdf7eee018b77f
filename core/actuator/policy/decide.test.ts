// The policy over commands and files: the blocklist always wins, manual allows a single-use yes, auto only its allowlist.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import type { ChosenAnswer } from "../screen/answer";
import type { PermissionPrompt, PromptOption } from "../screen/types";
import { decide, type PolicyContext } from "./decide";
import { DEFAULT_TEMPLATES } from "./context";
import { loadShellParser } from "./shell-parser";

const PROJECT = makeTempDir("otto-decide-");
// `npx vitest` is followed only to a binary the project already has.
const withVitest = () => {
  mkdirSync(join(PROJECT, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(PROJECT, "node_modules", ".bin", "vitest"), "#!/bin/sh\n");
};
const manual: PolicyContext = { projectDir: PROJECT, mode: "manual", autoAllowlist: DEFAULT_TEMPLATES };

beforeAll(loadShellParser);
const auto: PolicyContext = { ...manual, mode: "auto" };
const yesOnce: PromptOption = { label: "Yes", number: 1, highlighted: true, meaning: "allow-once" };
const answer = (option: PromptOption = yesOnce): ChosenAnswer => ({ option, keys: { kind: "digit", key: String(option.number) } });

function bash(command: string): PermissionPrompt {
  return { kind: "permission", tool: "bash", title: "Bash command", subject: command, description: null, question: "Do you want to proceed?", options: [yesOnce] };
}
function file(tool: "create-file" | "edit-file", path: string): PermissionPrompt {
  return { kind: "permission", tool, title: tool === "edit-file" ? "Edit file" : "Create file", subject: path, description: null, question: `Do you want to create ${path}?`, options: [yesOnce] };
}

describe("policy: blocked whatever the mode", () => {
  it.each([
    "rm -rf build",
    "rm notes.txt",
    "/bin/rm -r x",
    "sudo npm test",
    "dd if=/dev/zero of=/dev/disk2",
    "diskutil eraseDisk APFS x disk2",
    "mkfs.ext4 /dev/sdb1",
    "cat ~/.ssh/id_rsa",
    "security find-generic-password -s github",
    "cat .env",
    "git push --force origin main",
    "git push origin +main",
    "git push -f",
    "git reset --hard HEAD~3",
    "git clean -fdx",
    "git checkout -- .",
    "git branch -D feature",
    "git stash clear",
    "find . -name '*.tmp' -delete",
    "npm test > /etc/passwd",
    "cp build/app /usr/local/bin/app",
    "echo hi | sh",
    "bash -c 'npm test'",
    "node -e 'require(\"fs\").rmSync(\"x\")'",
    "FOO=1 npm test",
    "curl -o /tmp/x https://example.com",
    "npm test; rm -rf /",
    "rm -rf $HOME",
    "echo $(cat secrets)",
  ])("%s", (command) => {
    for (const context of [manual, auto]) {
      const decision = decide(bash(command), answer(), context);
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) expect(["blocked", "unjudgeable"]).toContain(decision.refusal);
    }
  });

  it.each([
    ["create-file", "/etc/hosts"],
    ["edit-file", "../other-project/file.ts"],
    ["create-file", "~/notes.txt"],
    ["edit-file", ".env"],
    ["edit-file", "config/private-key.pem"],
  ] as const)("%s %s", (tool, path) => {
    const decision = decide(file(tool, path), answer(), manual);
    expect(decision).toMatchObject({ allowed: false, refusal: "blocked" });
  });

  it("never gives 'always allow', 'don't ask again' or 'switch to auto mode', even for a harmless command", () => {
    for (const meaning of ["allow-always", "switch-mode", "deny", "other"] as const) {
      const option: PromptOption = { label: `Yes (${meaning})`, number: 2, highlighted: false, meaning };
      expect(decide(bash("npm test"), answer(option), manual).allowed).toBe(false);
    }
  });
});

describe("policy: what may be answered", () => {
  it.each(["npm test", "npm run build", "ls -la", "git status && git diff", "npx vitest run core", "npm test > test.log"])("manual allows %s", (command) => {
    withVitest();
    expect(decide(bash(command), answer(), manual).allowed).toBe(true);
  });

  it("a prompt the reader could not read whole is unjudgeable, whatever it says", () => {
    const clipped = { ...bash("npm test"), incomplete: "the dialog's top is off screen" };
    expect(decide(clipped, answer(), manual)).toMatchObject({ allowed: false, refusal: "unjudgeable" });
  });

  it("a write into .git (configuration and hooks are code) is blocked", () => {
    expect(decide(file("edit-file", ".git/config"), answer(), manual)).toMatchObject({ allowed: false, refusal: "blocked" });
    expect(decide(file("create-file", "sub/.GIT/hooks/pre-commit"), answer(), manual)).toMatchObject({ allowed: false, refusal: "blocked" });
  });

  it("the policy refuses while the parser is not loaded rather than guess (checked in a fresh module graph)", async () => {
    vi.resetModules();
    const fresh = await import("./decide");
    expect(fresh.decide(bash("npm test"), answer(), manual)).toMatchObject({ allowed: false, refusal: "unjudgeable" });
  });

  it("manual allows a write inside the project", () => {
    expect(decide(file("edit-file", "README.md"), answer(), manual).allowed).toBe(true);
    expect(decide(file("create-file", `${PROJECT}/src/new.ts`), answer(), manual).allowed).toBe(true);
  });

  it.each(["npm test", "git status", "git diff HEAD~1", "npx vitest run core/pool"])("auto allows allowlisted %s", (command) => {
    withVitest();
    expect(decide(bash(command), answer(), auto).allowed).toBe(true);
  });

  it.each(["npm run build", "ls -la", "npm install left-pad", "npm test > out.log", "git commit -m x", "npm test && git status"])("auto refuses %s (not on its allowlist)", (command) => {
    expect(decide(bash(command), answer(), auto)).toMatchObject({ allowed: false, refusal: "not-allowlisted" });
  });

  it("auto never writes files", () => {
    expect(decide(file("edit-file", "README.md"), answer(), auto)).toMatchObject({ allowed: false, refusal: "not-allowlisted" });
  });

  it("a user's blocklist pattern wins over the allowlist", () => {
    const decision = decide(bash("npm test"), answer(), { ...auto, extraBlocklist: ["npm test*"] });
    expect(decision).toMatchObject({ allowed: false, refusal: "blocked" });
  });
});
