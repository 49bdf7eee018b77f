// `heartbeat` and `hooks install` refuse a surface id nobody watches, with a did-you-mean; `hook` never refuses.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function world() {
  const dir = makeTempDir();
  const common = ["--home", join(dir, "home"), "--bus-dir", join(dir, "bus")];
  const settings = join(dir, "settings.json");
  const run = (args: string[], input?: string) => runCli([...args, ...common], { env: { HOME: dir, CLAUDE_CONFIG_DIR: dir }, ...(input === undefined ? {} : { input }) });
  return { dir, common, settings, run };
}

describe("an unknown surface id", () => {
  it("heartbeat --surface otto-clii is refused with a did-you-mean (exit 2), nothing published", () => {
    const w = world();
    const r = w.run(["heartbeat", "--surface", "otto-clii", "--status", "idle"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--surface: "otto-clii" is not a surface .*\n {2}hint: did you mean "otto-cli"\?.*--allow-new-surface/);
    expect(existsSync(join(w.dir, "bus"))).toBe(false);
  });

  it("hooks install --surface nope is refused (exit 2) and the settings are not touched", () => {
    const w = world();
    writeFileSync(w.settings, "{}\n");
    const r = w.run(["hooks", "install", "--surface", "nope", "--settings", w.settings]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--surface: "nope" is not a surface /);
    expect(r.stderr).toMatch(/otto-cli, otto-desktop, otto-launchd/);
    expect(readFileSync(w.settings, "utf8")).toBe("{}\n");
  });

  it("is accepted with --allow-new-surface, or when the preferences list it", () => {
    const w = world();
    expect(w.run(["heartbeat", "--surface", "otto-new", "--status", "idle", "--allow-new-surface"]).code).toBe(0);
    const prefs = join(w.dir, "prefs.json");
    writeFileSync(prefs, JSON.stringify({ surfaces: ["otto-cli", "otto-new"] }));
    expect(w.run(["heartbeat", "--surface", "otto-new", "--status", "idle", "--config", prefs]).code).toBe(0);
    writeFileSync(w.settings, "{}\n");
    expect(w.run(["hooks", "install", "--surface", "otto-new", "--settings", w.settings, "--config", prefs]).code).toBe(0);
    expect(w.run(["hooks", "install", "--surface", "otto-other", "--settings", w.settings, "--allow-new-surface"]).code).toBe(0);
    // The defaults stay known whatever the preferences list.
    expect(w.run(["heartbeat", "--surface", "otto-desktop", "--status", "idle", "--config", prefs]).code).toBe(0);
  });

  it("the hook handler still exits 0 for any surface", () => {
    const w = world();
    const r = w.run(["hook", "--surface", "otto-clii"], JSON.stringify({ hook_event_name: "Stop", session_id: "s1", cwd: w.dir }));
    expect(r.code).toBe(0);
  });
});
