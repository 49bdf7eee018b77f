// Installer merge logic on settings objects: keeps others' hooks and keys, idempotent, updates in place, removes only its own.
import { describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "./map";
import { buildHookCommand, HOOK_TIMEOUT_SECONDS, installHooks, isOurCommand, SettingsShapeError, shellQuote, uninstallHooks } from "./settings";

const CMD = buildHookCommand("'/opt/otto tray/bin/otto-tray'", "otto-cli");

function existing(): Record<string, unknown> {
  return {
    model: "opus",
    permissions: { allow: ["Bash(npm test:*)"] },
    hooks: {
      PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "~/bin/guard.sh" }] }],
      Stop: [{ hooks: [{ type: "command", command: "say done" }] }],
      PreCompact: [{ matcher: "auto", hooks: [{ type: "command", command: "backup.sh" }] }],
    },
  };
}

describe("commands", () => {
  it("quotes for sh only when needed", () => {
    expect(shellQuote("/usr/local/bin/otto-tray")).toBe("/usr/local/bin/otto-tray");
    expect(shellQuote("/Users/me/My Apps/it's")).toBe(`'/Users/me/My Apps/it'\\''s'`);
  });

  it("builds the handler command with passed-on options and recognises it by surface", () => {
    const command = buildHookCommand("/x/otto-tray", "otto-cli", ["--bus-dir", "/tmp/my bus"]);
    expect(command).toBe(`/x/otto-tray hook --surface otto-cli --pid "$PPID" --bus-dir '/tmp/my bus'`);
    expect(isOurCommand(command, "otto-cli")).toBe(true);
    expect(isOurCommand(command, "otto")).toBe(false);
    expect(isOurCommand(buildHookCommand("/x/otto-tray", "otto-cli-2"), "otto-cli")).toBe(false);
    expect(isOurCommand("echo hook --surface otto-cli", "otto-cli")).toBe(false);
    expect(isOurCommand(42, "otto-cli")).toBe(false);
  });
});

describe("installHooks", () => {
  it("adds one handler per handled event and keeps everything else", () => {
    const before = existing();
    const snapshot = JSON.stringify(before);
    const { settings, added, changed } = installHooks(before, "otto-cli", CMD);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(changed).toBe(true);
    expect(added).toEqual([...HANDLED_EVENTS]);
    const hooks = settings.hooks as Record<string, { matcher?: string; hooks: { command: string; timeout?: number }[] }[]>;
    expect(settings.model).toBe("opus");
    expect(settings.permissions).toEqual(before.permissions);
    expect(hooks.PreToolUse?.[0]).toEqual({ matcher: "Bash", hooks: [{ type: "command", command: "~/bin/guard.sh" }] });
    expect(hooks.PreToolUse?.[1]).toEqual({ matcher: "*", hooks: [{ type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS }] });
    expect(hooks.PostToolUse?.[0]?.matcher).toBe("*");
    expect(hooks.Stop?.[0]).toEqual({ hooks: [{ type: "command", command: "say done" }] });
    expect(hooks.Stop?.[1]).toEqual({ hooks: [{ type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS }] });
    expect(hooks.SessionStart?.[0]).not.toHaveProperty("matcher");
    expect(hooks.PreCompact).toEqual((before.hooks as Record<string, unknown>).PreCompact);
  });

  it("is idempotent", () => {
    const once = installHooks(existing(), "otto-cli", CMD).settings;
    const twice = installHooks(once, "otto-cli", CMD);
    expect(twice.changed).toBe(false);
    expect(twice.added).toEqual([]);
    expect(twice.settings).toEqual(once);
  });

  it("replaces only its own command when the path changed, in place", () => {
    const once = installHooks(existing(), "otto-cli", CMD).settings;
    const moved = buildHookCommand("/new/bin/otto-tray", "otto-cli");
    const again = installHooks(once, "otto-cli", moved);
    expect(again.updated).toEqual([...HANDLED_EVENTS]);
    expect(again.added).toEqual([]);
    expect(JSON.stringify(again.settings)).toBe(JSON.stringify(once).split(JSON.stringify(CMD).slice(1, -1)).join(JSON.stringify(moved).slice(1, -1)));
  });

  it("keeps other surfaces' entries apart", () => {
    const one = installHooks(existing(), "otto-cli", CMD).settings;
    const both = installHooks(one, "otto-desktop", buildHookCommand("/x", "otto-desktop")).settings;
    const back = uninstallHooks(both, "otto-desktop");
    expect(back.settings).toEqual(one);
  });

  it("moves an entry of ours out of a group with a narrower matcher, leaving that group's other hooks", () => {
    const settings = { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "guard" }, { type: "command", command: CMD }] }] } };
    const result = installHooks(settings, "otto-cli", CMD).settings as { hooks: { PreToolUse: unknown[] } };
    expect(result.hooks.PreToolUse).toEqual([
      { matcher: "Bash", hooks: [{ type: "command", command: "guard" }] },
      { matcher: "*", hooks: [{ type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS }] },
    ]);
  });

  it("creates the hooks section when there is none", () => {
    expect(Object.keys(installHooks({}, "otto-cli", CMD).settings.hooks as object)).toEqual([...HANDLED_EVENTS]);
  });

  it("refuses settings whose hooks are not Claude Code's shape", () => {
    expect(() => installHooks({ hooks: [] }, "otto-cli", CMD)).toThrow(SettingsShapeError);
    expect(() => installHooks({ hooks: { Stop: {} } }, "otto-cli", CMD)).toThrow(SettingsShapeError);
  });
});

describe("uninstallHooks", () => {
  it("restores the original structure", () => {
    const original = existing();
    const installed = installHooks(original, "otto-cli", CMD).settings;
    const result = uninstallHooks(installed, "otto-cli");
    expect(result.settings).toEqual(original);
    expect(JSON.stringify(result.settings)).toBe(JSON.stringify(original));
    expect(result.removed.sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it("removes the hooks key only when it emptied it", () => {
    expect(uninstallHooks(installHooks({ a: 1 }, "otto-cli", CMD).settings, "otto-cli").settings).toEqual({ a: 1 });
    expect(uninstallHooks({ a: 1, hooks: {} }, "otto-cli")).toMatchObject({ changed: false, settings: { a: 1, hooks: {} } });
  });

  it("leaves groups and events that were already empty", () => {
    const settings = { hooks: { Stop: [{ hooks: [] }], SessionStart: [] } };
    expect(uninstallHooks(settings, "otto-cli")).toMatchObject({ changed: false, settings });
  });

  it("tolerates shapes it cannot hold entries in", () => {
    expect(uninstallHooks({ hooks: "x" }, "otto-cli").changed).toBe(false);
    expect(uninstallHooks({ hooks: { Stop: "x", Foo: [null, { hooks: [7] }] } }, "otto-cli").changed).toBe(false);
  });
});
