// The pool's git calls: the scrubbed environment covers what git itself calls repository-local.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gitEnv, LOCAL_ENV_VARS } from "./git-env";

describe("gitEnv", () => {
  it("lists every variable of the installed git's `rev-parse --local-env-vars`", () => {
    const local = execFileSync("git", ["rev-parse", "--local-env-vars"], { encoding: "utf8" }).split("\n").filter((v) => v !== "");
    expect(local.length).toBeGreaterThan(5);
    expect(LOCAL_ENV_VARS).toEqual(expect.arrayContaining(local));
  });

  it("scrubs them, the GIT_CONFIG_KEY_n/VALUE_n pairs and nothing else", () => {
    const base: NodeJS.ProcessEnv = { PATH: "/bin", GIT_AUTHOR_NAME: "A", GIT_CONFIG_KEY_0: "core.bare", GIT_CONFIG_VALUE_0: "true", GIT_CONFIG_VALUE_12: "x" };
    for (const name of LOCAL_ENV_VARS) base[name] = "set by a calling hook";
    const env = gitEnv({ GIT_INDEX_FILE: "/tmp/rescue-index" }, base);
    for (const name of LOCAL_ENV_VARS.filter((n) => n !== "GIT_INDEX_FILE")) expect(env[name]).toBeUndefined();
    expect(env).toMatchObject({ PATH: "/bin", GIT_AUTHOR_NAME: "A", GIT_INDEX_FILE: "/tmp/rescue-index", GIT_TERMINAL_PROMPT: "0" });
    expect(Object.keys(env).filter((k) => k.startsWith("GIT_CONFIG_"))).toEqual([]);
  });
});
