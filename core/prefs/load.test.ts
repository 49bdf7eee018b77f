// Preferences: defaults, validation messages that name the field, and file loading.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { UsageError } from "../errors";
import { loadPrefs, loadPrefsLeniently, parsePrefs } from "./load";

describe("preferences", () => {
  it("has the defaults of DESIGN.md", () => {
    const p = parsePrefs({});
    expect(p).toMatchObject({
      staleAfterSeconds: 300,
      hungAfterSeconds: 600,
      quorumWindowSeconds: 600,
      quorumSize: 2,
      briefAckEscalateAfter: 6,
      poolSize: 3,
    });
    expect(p.surfaces.map((s) => s.id)).toEqual(["otto-cli", "otto-desktop", "otto-launchd"]);
  });

  it("accepts surfaces as ids or objects with activity files and an agent (Claude Code unless said)", () => {
    const p = parsePrefs({ surfaces: ["otto-cli", { id: "otto-launchd", activityFiles: ["~/.local/share/zeta-broadcasts/otto.md"] }, { id: "codex-main", agent: "codex" }] });
    expect(p.surfaces).toEqual([
      { id: "otto-cli", agent: "claude-code", activityFiles: [] },
      { id: "otto-launchd", agent: "claude-code", activityFiles: ["~/.local/share/zeta-broadcasts/otto.md"] },
      { id: "codex-main", agent: "codex", activityFiles: [] },
    ]);
    expect(() => parsePrefs({ surfaces: [{ id: "x", agent: "copilot" }] })).toThrow(/must be one of claude-code, codex, gemini/);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["a bad surface id", { surfaces: ["Bad Id"] }, /surfaces\[0\]/],
    ["duplicate surfaces", { surfaces: ["a", "a"] }, /unique/],
    ["a quorum of one", { quorumSize: 1 }, /quorumSize/],
    ["a pool of nine", { poolSize: 9 }, /poolSize/],
    ["a typo'd key", { hungAfterSecs: 5 }, /hungAfterSecs/],
    ["hung before stale", { staleAfterSeconds: 600, hungAfterSeconds: 300 }, /hungAfterSeconds/],
    ["a string threshold", { staleAfterSeconds: "300" }, /staleAfterSeconds/],
  ];
  it.each(invalid)("rejects %s with the field named", (_name, value, field) => {
    expect(() => parsePrefs(value)).toThrow(UsageError);
    expect(() => parsePrefs(value)).toThrow(field);
  });

  it("loads --config, and says what is wrong with a broken file", () => {
    const dir = makeTempDir();
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ quorumSize: 3 }));
    expect(loadPrefs({ configFile: good }).quorumSize).toBe(3);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ quorumSize: ");
    expect(() => loadPrefs({ configFile: broken })).toThrow(/not valid JSON/);
    expect(() => loadPrefs({ configFile: join(dir, "missing.json") })).toThrow(/cannot read/);
  });

  it("uses <home>/preferences.json when no --config is given", () => {
    const home = makeTempDir();
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ briefAckEscalateAfter: 4 }));
    expect(loadPrefs({ homeDir: home }).briefAckEscalateAfter).toBe(4);
  });

  it("says what a field must be in words, with its range, never zod's own wording", () => {
    expect(() => parsePrefs({ quorumSize: 1.5 })).toThrow("quorumSize: must be a whole number from 2 to 16");
    expect(() => parsePrefs({ staleAfterSeconds: "300" })).toThrow("staleAfterSeconds: must be a whole number of seconds from 10 to 86400");
    expect(() => parsePrefs({ staleAfterSeconds: 600, hungAfterSeconds: 300 })).toThrow("hungAfterSeconds: must be at least Stale after (staleAfterSeconds, now 600 s)");
    expect(() => parsePrefs({ identities: "otto-cli" })).toThrow("identities: must be a list in [ ]");
    expect(() => parsePrefs({ launchAtLogin: "yes" })).toThrow("launchAtLogin: must be true or false");
    for (const bad of [{ quorumSize: 1 }, { identities: "x" }, { hungAfterSecs: 1 }, { surfaces: [] }]) expect(() => parsePrefs(bad)).not.toThrow(/Invalid input|Too small|Too big|expected/);
  });

  it("loads leniently: a bad key falls back alone and is named; a file that is not an object is refused", () => {
    const dir = makeTempDir();
    const file = join(dir, "p.json");
    writeFileSync(file, JSON.stringify({ quorumSize: 3, quorumSizee: 4, actuator: "off", notifications: { minIntervalSeconds: 5 } }));
    const loaded = loadPrefsLeniently({ configFile: file });
    expect(loaded.prefs).toMatchObject({ quorumSize: 3, notifications: { minIntervalSeconds: 60 }, actuator: { autoAllowlist: [], autoAfterSeconds: 86_400 } });
    expect(loaded.problems.map((p) => p.key)).toEqual(["quorumSizee", "notifications.minIntervalSeconds", "actuator"]);
    expect(loaded.problems[2]?.text).toMatch(/actuator: must be an object in \{ \}.*the actuator answers nothing until it is fixed/);
    writeFileSync(file, "[1]");
    expect(() => loadPrefsLeniently({ configFile: file })).toThrow(/not a JSON object of preferences/);
  });
});
