// "Install hooks" through the app service: refusals with reasons, the command and options it writes, the snapshot after.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { API } from "../api";
import { AppService } from "../app-service";
import { makeBus } from "../../test-support/bus";
import { makeTempDir } from "../../test-support/temp";
import { hooksPassOn } from "./hooks-install";
import type { AppPaths } from "./paths";

const services: AppService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

const EXECUTABLE = "'/Applications/Otto Tray.app/x/otto-tray'";

async function started(hookCommand: string | null = EXECUTABLE) {
  const { bus, home } = makeBus();
  const claude = join(makeTempDir("otto-claude-"), "claude");
  const settingsFile = join(claude, "settings.json");
  const service = new AppService({ home, busDir: bus, env: { CLAUDE_CONFIG_DIR: claude }, hookCommand: hookCommand ?? undefined, tickMs: 60_000 });
  services.push(service);
  await service.start();
  return { service, bus, home, claude, settingsFile };
}

const view = (service: AppService, surface: string) => service.snapshot().hooks.surfaces.find((s) => s.surface === surface);

describe("hooksInstall", () => {
  it("creates Claude Code's settings file with the surface's hooks; the snapshot then shows them installed and current", async () => {
    const { service, bus, home, settingsFile } = await started();
    const command = `${EXECUTABLE} hook --surface otto-cli --pid "$PPID" --bus-dir ${bus} --home ${home}`;
    // Before: not installed, and the snapshot already names the exact command an install would write.
    expect(view(service, "otto-cli")).toMatchObject({ installed: false, current: false, installCommand: command });
    const result = await service.handlers.hooksInstall({ surface: "otto-cli", confirm: true });
    expect(API.hooksInstall.result.safeParse(result).success).toBe(true);
    expect(result).toEqual({
      ok: true,
      surface: "otto-cli",
      settingsFile,
      changed: true,
      added: expect.arrayContaining(["PreToolUse", "Stop"]) as unknown,
      updated: [],
      backup: null,
      command,
      advice: expect.stringMatching(/defaultMode/) as unknown,
    });
    expect(readFileSync(settingsFile, "utf8")).toContain(JSON.stringify(command));
    expect(view(service, "otto-cli")).toMatchObject({ installed: true, current: true, missing: [] });
    expect(view(service, "otto-desktop")).toMatchObject({ installed: false });
    expect(await service.handlers.hooksStatus({})).toEqual(service.snapshot().hooks);
  });

  it("refuses a surface that is not in the preferences, naming the ones that are", async () => {
    const { service, settingsFile } = await started();
    const result = await service.handlers.hooksInstall({ surface: "nobody", confirm: true });
    expect(result).toMatchObject({ ok: false, refusal: "unknown-surface", reason: expect.stringMatching(/nobody.*otto-cli/) as unknown });
    expect(() => readFileSync(settingsFile)).toThrow(/ENOENT/);
  });

  it("refuses when it knows no command for hooks to run, and says to install from a shell", async () => {
    const { service } = await started(null);
    const result = await service.handlers.hooksInstall({ surface: "otto-cli", confirm: true });
    expect(result).toMatchObject({ ok: false, refusal: "no-command", reason: expect.stringMatching(/otto-tray hooks install --surface otto-cli/) as unknown });
    expect(view(service, "otto-cli")?.installCommand).toBeNull();
  });

  it("refuses a settings file it cannot change and leaves it untouched, with the reason", async () => {
    const { service, claude, settingsFile } = await started();
    mkdirSync(claude, { recursive: true });
    const text = '{"hooks": {"Stop": "say done"}}\n';
    writeFileSync(settingsFile, text);
    const result = await service.handlers.hooksInstall({ surface: "otto-cli", confirm: true });
    expect(result).toMatchObject({ ok: false, refusal: "settings-unusable", reason: expect.stringMatching(/hooks\.Stop.*left untouched/) as unknown });
    expect(readFileSync(settingsFile, "utf8")).toBe(text);
    expect(view(service, "otto-cli")).toMatchObject({ installed: false });
  });

  it("refuses a read-only settings file and a dangling link at its path, saying what to do, and changes neither", async () => {
    const { service, claude, settingsFile } = await started();
    mkdirSync(claude, { recursive: true });
    writeFileSync(settingsFile, "{}\n");
    chmodSync(settingsFile, 0o444);
    const readOnly = await service.handlers.hooksInstall({ surface: "otto-cli", confirm: true });
    expect(readOnly).toMatchObject({ ok: false, refusal: "settings-unusable", reason: `${settingsFile} is read-only (mode 0444), left untouched; make it writable (chmod u+w ${settingsFile}) to let otto-tray add its hooks` });
    expect(readFileSync(settingsFile, "utf8")).toBe("{}\n");
    rmSync(settingsFile);
    const target = join(claude, "elsewhere.json");
    symlinkSync(target, settingsFile);
    const dangling = await service.handlers.hooksInstall({ surface: "otto-cli", confirm: true });
    expect(dangling).toMatchObject({ ok: false, refusal: "settings-unusable", reason: expect.stringContaining(`is a symbolic link to ${target}, which does not exist`) as unknown });
    expect(lstatSync(settingsFile).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(false);
  });
});

describe("hooksPassOn", () => {
  const paths = (over: Partial<AppPaths>): AppPaths => ({
    homeDir: "/u/state",
    homeSource: "default",
    prefsFile: "/u/state/preferences.json",
    prefsSource: "default",
    busDir: "/tmp/zeta-bus",
    busSource: "default",
    ...over,
  });

  it("passes on only what the hook would not find by the same rule (Claude Code runs it with its own environment)", () => {
    expect(hooksPassOn(paths({}))).toEqual([]);
    // A bus named in the preferences is found through them.
    expect(hooksPassOn(paths({ busDir: "/b", busSource: "preferences" }))).toEqual([]);
    expect(hooksPassOn(paths({ busDir: "/b", busSource: "environment" }))).toEqual(["--bus-dir", "/b"]);
    expect(hooksPassOn(paths({ homeDir: "/h", homeSource: "environment", prefsFile: "/h/preferences.json", prefsSource: "environment" }))).toEqual(["--home", "/h"]);
    expect(hooksPassOn(paths({ prefsFile: "/etc/otto.json", prefsSource: "option" }))).toEqual(["--config", "/etc/otto.json"]);
  });
});
