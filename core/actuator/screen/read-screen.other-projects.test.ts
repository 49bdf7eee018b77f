// Other projects' Claude Code screens (ccmanager, agent-deck detector tests): none may read as a prompt to answer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test-support/cli";
import { readScreen } from "./read-screen";

interface ForeignScreen {
  source: string;
  path: string;
  test: string;
  theirState: string;
  screen: string;
  permissionPrompt: boolean;
}

const SCREENS = JSON.parse(readFileSync(join(FIXTURES, "claude-code-real", "other-projects", "screens.json"), "utf8")) as ForeignScreen[];
const label = (s: ForeignScreen, i: number) => `#${i} ${s.source.split("/").at(-1) ?? ""} ${s.test} (theirs: ${s.theirState.slice(0, 60)})`;

describe("readScreen on other projects' Claude Code screens", () => {
  it("holds the screens of both projects", () => {
    expect(SCREENS.filter((s) => s.source.endsWith("kbwo/ccmanager")).length).toBeGreaterThan(50);
    expect(SCREENS.filter((s) => s.source.endsWith("asheshgoplani/agent-deck")).length).toBeGreaterThan(50);
  });

  it.each(SCREENS.map((s, i) => [label(s, i), s] as const).filter(([, s]) => !s.permissionPrompt))("%s is not a permission prompt", (_name, s) => {
    expect(readScreen(s.screen).kind).not.toBe("permission");
  });

  // These show a permission prompt by their project's account, but only its question and options (no title, no
  // command, no frame): the reader cannot know what is asked, so it must not offer them as prompts at all.
  it.each(SCREENS.map((s, i) => [label(s, i), s] as const).filter(([, s]) => s.permissionPrompt))("%s (a fragment of a prompt) is not read as one", (_name, s) => {
    expect(["unrecognised", "other-dialog"]).toContain(readScreen(s.screen).kind);
  });
});
