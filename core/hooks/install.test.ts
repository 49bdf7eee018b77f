// Installing and uninstalling one surface's hooks on real settings files: created when missing, others kept, a bad shape left alone, the lock.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { OttoError, UsageError } from "../errors";
import { makeTempDir } from "../../test-support/temp";
import { HOOK_TOKEN_HEADER, hookUrl } from "./http/hook-url";
import { installSurfaceHooks, uninstallSurfaceHooks } from "./install";
import { HANDLED_EVENTS } from "./map";
import { inspectHooks } from "./status";

type Settings = { hooks: Record<string, { matcher?: string; hooks: { command: string; timeout: number }[] }[]> } & Record<string, unknown>;

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Settings;

function dirs() {
  const root = makeTempDir("otto-hooks-install-");
  return { home: join(root, "home"), settingsFile: join(root, "claude", "settings.json") };
}

const install = (settingsFile: string, home: string, surface = "otto-cli", extra: { lockTimeoutMs?: number } = {}) =>
  installSurfaceHooks({ settingsFile, surface, executable: "/opt/otto/bin/otto-tray", passOn: ["--home", home], waitSeconds: 600, homeDir: home, ...extra });

describe("installSurfaceHooks", () => {
  it("creates a missing settings file and its directory, with every handled event, and remembers the install", async () => {
    const { home, settingsFile } = dirs();
    const done = await install(settingsFile, home);
    expect(done.command).toBe(`/opt/otto/bin/otto-tray hook --surface otto-cli --pid "$PPID" --home ${home}`);
    expect(done.change).toMatchObject({ changed: true, added: [...HANDLED_EVENTS] });
    expect(done.backup).toBeUndefined();
    const settings = read(settingsFile);
    expect(inspectHooks(settings, "otto-cli", 600)[0]).toMatchObject({ current: true, missing: [] });
    expect(settings.hooks.PreToolUse?.[0]).toEqual({ matcher: "*", hooks: [{ type: "command", command: done.command, timeout: 10 }] });
    expect(JSON.parse(readFileSync(join(home, "hooks-installed", "otto-cli.json"), "utf8"))).toEqual({ surface: "otto-cli", settingsFile });
    // Claude Code's default (auto) mode hides dialogs from the hooks: the install says what to set.
    expect(done.permissionMode.advice).toMatch(/defaultMode/);
  });

  it("keeps every existing hook and key, writes a backup of the old content, and a second install changes nothing", async () => {
    const { home, settingsFile } = dirs();
    const theirs = { model: "opus", permissions: { defaultMode: "default" }, hooks: { Stop: [{ hooks: [{ type: "command", command: "say done" }] }] } };
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, `${JSON.stringify(theirs, null, 4)}\n`);
    const before = readFileSync(settingsFile, "utf8");
    const done = await install(settingsFile, home);
    expect(done.backup).toBe(`${settingsFile}.otto-tray.bak`);
    expect(readFileSync(`${settingsFile}.otto-tray.bak`, "utf8")).toBe(before);
    const settings = read(settingsFile);
    expect(settings.model).toBe("opus");
    expect(settings.hooks.Stop?.[0]?.hooks[0]?.command).toBe("say done");
    expect(settings.hooks.Stop?.[1]?.hooks[0]?.command).toBe(done.command);
    expect(readFileSync(settingsFile, "utf8")).toMatch(/^ {4}"model"/m); // its indentation kept
    expect(done.permissionMode.advice).toBeNull();

    const after = readFileSync(settingsFile, "utf8");
    const again = await install(settingsFile, home);
    expect(again.change.changed).toBe(false);
    expect(again.backup).toBeUndefined();
    expect(readFileSync(settingsFile, "utf8")).toBe(after);
  });

  it("refuses a settings file whose hooks it cannot change, and leaves it untouched and unremembered", async () => {
    const { home, settingsFile } = dirs();
    mkdirSync(dirname(settingsFile), { recursive: true });
    for (const text of ['{"hooks": []}\n', '{"hooks": {"Stop": {"not": "an array"}}}\n', "[1, 2]\n", "{ not json"]) {
      writeFileSync(settingsFile, text);
      const error = await install(settingsFile, home).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/left untouched/);
      expect(readFileSync(settingsFile, "utf8")).toBe(text);
      expect(existsSync(`${settingsFile}.otto-tray.bak`)).toBe(false);
      expect(existsSync(join(home, "hooks-installed", "otto-cli.json"))).toBe(false);
    }
  });

  it("installs for several surfaces at once all land", async () => {
    const { home, settingsFile } = dirs();
    const surfaces = ["otto-cli", "otto-desktop", "otto-codex"];
    await Promise.all(surfaces.map((surface) => install(settingsFile, home, surface)));
    const all = inspectHooks(read(settingsFile), undefined, 600);
    expect(all.map((s) => [s.surface, s.current])).toEqual(surfaces.map((s) => [s, true]).sort());
  });

  it("waits while another process holds the settings lock, and leaves the file alone when it is held too long", async () => {
    const { home, settingsFile } = dirs();
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, '{"model": "opus"}\n');
    const lockFile = `${settingsFile}.otto-tray.lock`;
    const ready = join(dirname(settingsFile), "ready");
    const fsx = createRequire(import.meta.url).resolve("fs-native-extensions");
    const script =
      `const f=require(${JSON.stringify(fsx)});const fs=require("fs");const fd=fs.openSync(${JSON.stringify(lockFile)},"a+");` +
      `if(!f.tryLock(fd))process.exit(9);fs.writeFileSync(${JSON.stringify(ready)},"1");setInterval(()=>{},1000);`;
    const holder = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    for (let i = 0; i < 200 && !existsSync(ready); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(existsSync(ready)).toBe(true);

    const error = await install(settingsFile, home, "otto-cli", { lockTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OttoError);
    expect((error as Error).message).toMatch(/held .*otto-tray\.lock.*left untouched/);
    expect(readFileSync(settingsFile, "utf8")).toBe('{"model": "opus"}\n');

    // One that waits long enough lands once the holder is gone.
    const waiting = install(settingsFile, home, "otto-cli", { lockTimeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(settingsFile, "utf8")).toBe('{"model": "opus"}\n');
    await new Promise((resolve) => holder.on("exit", resolve).kill("SIGKILL"));
    expect((await waiting).change.changed).toBe(true);
    expect(read(settingsFile).model).toBe("opus");
  });
});

describe("uninstallSurfaceHooks", () => {
  it("removes exactly that surface's entries and forgets its install", async () => {
    const { home, settingsFile } = dirs();
    await install(settingsFile, home, "otto-cli");
    await install(settingsFile, home, "otto-desktop");
    const done = await uninstallSurfaceHooks({ settingsFile, surface: "otto-cli", homeDir: home });
    expect(done.change.removed.sort()).toEqual([...HANDLED_EVENTS].sort());
    expect(inspectHooks(read(settingsFile), undefined, 600).map((s) => s.surface)).toEqual(["otto-desktop"]);
    expect(existsSync(join(home, "hooks-installed", "otto-cli.json"))).toBe(false);
    expect(existsSync(join(home, "hooks-installed", "otto-desktop.json"))).toBe(true);
  });
});

describe("installSurfaceHooks with the HTTP transport", () => {
  const TOKEN = "9".repeat(64);
  const http = { kind: "http" as const, url: hookUrl(47652, "otto-cli"), token: TOKEN };
  const mode = (file: string) => statSync(file).mode & 0o777;
  const installHttp = (settingsFile: string, home: string) =>
    installSurfaceHooks({ settingsFile, surface: "otto-cli", executable: "/opt/otto/bin/otto-tray", passOn: ["--home", home], waitSeconds: 600, homeDir: home, transport: http });

  /** A settings file others can read, as many people's are. */
  function readableSettings(settingsFile: string, value: unknown): void {
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, `${JSON.stringify(value, null, 2)}\n`);
    chmodSync(settingsFile, 0o644);
  }

  it("makes a settings file others could read private (0600), and its backup too, since it now holds the token", async () => {
    const { home, settingsFile } = dirs();
    readableSettings(settingsFile, { model: "opus" });
    const done = await installHttp(settingsFile, home);
    expect(done.change.changed).toBe(true);
    expect(mode(settingsFile)).toBe(0o600);
    expect(done.backup).toBe(`${settingsFile}.otto-tray.bak`);
    expect(mode(`${settingsFile}.otto-tray.bak`)).toBe(0o600);
    const settings = read(settingsFile);
    expect(settings.model).toBe("opus");
    expect(settings.hooks.Stop?.[0]?.hooks[0]).toEqual({ type: "http", url: http.url, timeout: 10, headers: { [HOOK_TOKEN_HEADER]: TOKEN } });
    expect(inspectHooks(settings, "otto-cli", 600, TOKEN)[0]).toMatchObject({ current: true, transport: "http", tokenCurrent: true });
  });

  it("creates a missing settings file private (0600)", async () => {
    const { home, settingsFile } = dirs();
    await installHttp(settingsFile, home);
    expect(mode(settingsFile)).toBe(0o600);
  });

  it("a second install with nothing to change still makes a file someone opened up private again", async () => {
    const { home, settingsFile } = dirs();
    await installHttp(settingsFile, home);
    const text = readFileSync(settingsFile, "utf8");
    chmodSync(settingsFile, 0o644);
    const again = await installHttp(settingsFile, home);
    expect(again.change.changed).toBe(false);
    expect(readFileSync(settingsFile, "utf8")).toBe(text);
    expect(mode(settingsFile)).toBe(0o600);
  });

  it("a command install leaves a readable file's mode alone (it holds no token)", async () => {
    const { home, settingsFile } = dirs();
    readableSettings(settingsFile, {});
    await install(settingsFile, home);
    expect(mode(settingsFile)).toBe(0o644);
  });

  it("uninstall takes the HTTP entries out exactly, keeping others' hooks", async () => {
    const { home, settingsFile } = dirs();
    const theirs = { hooks: { Stop: [{ hooks: [{ type: "http", url: "http://localhost:8080/events" }] }], PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "guard.sh" }] }] } };
    readableSettings(settingsFile, theirs);
    await installHttp(settingsFile, home);
    const done = await uninstallSurfaceHooks({ settingsFile, surface: "otto-cli", homeDir: home });
    expect(done.change.removed.sort()).toEqual([...HANDLED_EVENTS].sort());
    expect(read(settingsFile)).toEqual(theirs);
  });
});
