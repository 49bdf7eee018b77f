// The line `doctor` prints when a session's rule and its hooks name different surfaces, for a watched surface and for the other sessions.
import { describe, expect, it } from "vitest";
import { describeHookRuleConflict } from "./hook-rule-conflicts";

describe("a session whose hooks were installed for another surface", () => {
  const conflict = { pid: 41, sessionId: "abc", name: null, entrypoint: null, surface: null, settingsFile: "/h/.claude/settings.json", hooksSurface: "otto-cli" };

  it("is named by its id without a name, and as one of the other sessions when no rule names a watched surface", () => {
    expect(describeHookRuleConflict(conflict)).toBe("session abc (pid 41) is one of the other sessions by rule (entrypoint none) but its hooks in /h/.claude/settings.json were installed for otto-cli; the rule wins");
    expect(describeHookRuleConflict({ ...conflict, name: "nightly", entrypoint: "sdk-cli", surface: "otto-launchd" })).toMatch(/^session nightly \(pid 41\) is otto-launchd by rule \(entrypoint sdk-cli\)/);
  });
});
