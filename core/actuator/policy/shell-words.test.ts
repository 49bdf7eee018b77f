// The shell splitter: words and separators it is sure of; everything that depends on expansion is refused.
import { describe, expect, it } from "vitest";
import { parseShell } from "./shell-words";

describe("parseShell", () => {
  it("splits simple commands, quotes and separators", () => {
    expect(parseShell(`npm test && git status; echo 'a b' "c d"|wc -l`)).toEqual({
      ok: true,
      commands: [
        { words: ["npm", "test"], redirects: [] },
        { words: ["git", "status"], redirects: [] },
        { words: ["echo", "a b", "c d"], redirects: [] },
        { words: ["wc", "-l"], redirects: [] },
      ],
    });
  });

  it("collects redirection targets, not descriptor copies", () => {
    expect(parseShell("npm test > out.log 2>/tmp/err 1>&2")).toEqual({ ok: true, commands: [{ words: ["npm", "test"], redirects: ["out.log", "/tmp/err"] }] });
  });

  it.each([
    ["rm -rf $HOME", "variable"],
    ["echo `whoami`", "substitution"],
    ["echo $(id)", "substitution"],
    ["cat <(ls)", "subshell"],
    ["(cd / && rm x)", "subshell"],
    ["cat <<EOF", "here-document"],
    ["echo 'open", "unclosed"],
    ['echo "$X"', "expansion"],
    ["ls >", "without a target"],
    ["", "no command"],
  ])("refuses %s", (command, why) => {
    const result = parseShell(command);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });
});
