// Claude Desktop prompts judged from their texts: destructive words and blocklisted commands refuse; auto never answers.
import { beforeAll, describe, expect, it } from "vitest";
import { decideDesktopPrompt } from "./desktop";
import { loadShellParser } from "./shell-parser";

beforeAll(loadShellParser);

const manual = { projectDir: "/Users/dev/src/app", mode: "manual" as const };

describe("decideDesktopPrompt", () => {
  it.each([
    [["Allow Claude to run a command?", "rm -rf build"]],
    [["Allow Claude to use delete_file from filesystem?"]],
    [["Allow Claude to read your password manager?"]],
    [["Allow Claude to run a command?", "git push --force"]],
    [["Allow Claude to run a command?", "cat ~/.ssh/id_rsa"]],
  ])("blocks %j", (texts) => {
    expect(decideDesktopPrompt(texts, manual)).toMatchObject({ allowed: false, refusal: "blocked" });
  });

  it("allows a harmless prompt in manual mode only, and never one without text", () => {
    expect(decideDesktopPrompt(["Allow Claude to run a command?", "npm test"], manual).allowed).toBe(true);
    expect(decideDesktopPrompt(["Allow Claude to run a command?", "npm test"], { ...manual, mode: "auto" })).toMatchObject({ allowed: false, refusal: "not-allowlisted" });
    expect(decideDesktopPrompt([], manual)).toMatchObject({ allowed: false, refusal: "unrecognised" });
  });

  it.each([
    [["Allow Claude to run a command?", "echo 'unterminated"]],
    [["Allow Claude to run a command?", "npm test $(curl x)"]],
    [["Allow Claude to run a command?", "npm test # fine\nrm -rf build"]],
    [["Allow Claude to (maybe) run this?"]],
    [["Allow Claude to run a command?", "ls *"]],
  ])("refuses a text it cannot judge instead of skipping it: %j", (texts) => {
    const decision = decideDesktopPrompt(texts.map((t) => t.replace("\\n", "\n")), manual);
    expect(decision.allowed).toBe(false);
  });

  it("applies the person's blocklist and refuses everything while the actuator preferences are unusable", () => {
    const texts = ["Allow Claude to run a command?", "make deploy"];
    expect(decideDesktopPrompt(texts, manual).allowed).toBe(true);
    expect(decideDesktopPrompt(texts, { ...manual, extraBlocklist: ["make deploy"] })).toMatchObject({ allowed: false, refusal: "blocked" });
    expect(decideDesktopPrompt(texts, { ...manual, problem: "actuator.blocklist: expected an array" })).toMatchObject({ allowed: false, refusal: "blocked" });
  });
});
