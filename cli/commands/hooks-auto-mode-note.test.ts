// The note about Claude Code's auto mode: at most once per `hooks` command, and only where hooks it concerns are installed.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

const NOTE = /auto mode/g;

function world() {
  const dir = makeTempDir();
  const settings = join(dir, "settings.json");
  writeFileSync(settings, "{}\n");
  const hooks = (...args: string[]) => {
    const r = runCli(["hooks", ...args, "--settings", settings, "--home", join(dir, "home"), "--bus-dir", join(dir, "bus")], { env: { HOME: dir } });
    return { ...r, notes: (r.stdout + r.stderr).match(NOTE)?.length ?? 0 };
  };
  return { hooks };
}

describe("the auto-mode note", () => {
  it("is not printed where no hooks are installed", () => {
    const w = world();
    expect(w.hooks("status").notes).toBe(0);
    expect(w.hooks("install", "--surface", "otto-cli").notes).toBe(1);
    expect(w.hooks("status", "--surface", "otto-desktop").notes).toBe(0);
    expect(w.hooks("uninstall", "--surface", "otto-cli").notes).toBe(0);
    expect(w.hooks("status").notes).toBe(0);
  });

  it("is printed once per command, however many surfaces it concerns", () => {
    const w = world();
    expect(w.hooks("install", "--surface", "otto-cli").notes).toBe(1);
    expect(w.hooks("install", "--surface", "otto-desktop").notes).toBe(1);
    expect(w.hooks("install", "--surface", "otto-desktop").notes).toBe(1);
    expect(w.hooks("status").notes).toBe(1);
    expect(w.hooks("status", "--surface", "otto-cli").notes).toBe(1);
  });
});
