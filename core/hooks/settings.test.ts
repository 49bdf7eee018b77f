// Installer merge logic on settings objects: keeps others' hooks and keys, idempotent, updates in place, removes only its own.
import { describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "./map";
import { HOOK_TOKEN_HEADER, hookUrl } from "./http/hook-url";
import { buildHookCommand, HOOK_TIMEOUT_SECONDS, hookTimeoutSeconds, type HookTransport, installHooks, isOurCommand, isOurHandler, SettingsShapeError, shellQuote, uninstallHooks } from "./settings";
import { inspectHooks } from "./status";

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

describe("the HTTP transport", () => {
  const TOKEN = "c".repeat(64);
  const URL = hookUrl(47652, "otto-cli");
  const HTTP: HookTransport = { kind: "http", url: URL, token: TOKEN };
  type Entry = Record<string, unknown>;
  type Hooks = Record<string, { matcher?: string; hooks: Entry[] }[]>;
  /** Others' hooks, an HTTP one among them (to another URL), and another surface's HTTP entry. */
  function theirs(): Record<string, unknown> {
    return {
      model: "opus",
      hooks: {
        PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "~/bin/guard.sh" }] }],
        Stop: [{ hooks: [{ type: "http", url: "http://localhost:8080/events", headers: { Authorization: "Bearer theirs" } }] }],
        PostToolUse: [
          { matcher: "*", hooks: [{ type: "http", url: "http://127.0.0.1:47652/hook?surface=otto-cli&extra=1", timeout: 5 }] },
          { matcher: "*", hooks: [{ type: "http", url: hookUrl(47652, "otto-desktop"), timeout: 10, headers: { [HOOK_TOKEN_HEADER]: TOKEN } }] },
        ],
      },
    };
  }
  /** Our entry of each handled event: where it sits (event, group index, index in the group) and what it is. */
  function ours(settings: Record<string, unknown>): Map<string, { at: string; entry: Entry }> {
    const found = new Map<string, { at: string; entry: Entry }>();
    for (const [event, groups] of Object.entries(settings.hooks as Hooks)) {
      groups.forEach((group, g) =>
        group.hooks.forEach((entry, h) => {
          if (isOurHandler(entry, "otto-cli")) found.set(event, { at: `${event}[${g}][${h}]`, entry });
        }),
      );
    }
    return found;
  }

  it("recognises its own HTTP entries by URL, surface and token header only", () => {
    const token = { headers: { "X-Otto-Tray-Hook-Token": "t0ken" } };
    expect(isOurHandler({ type: "http", url: URL, ...token }, "otto-cli")).toBe(true);
    expect(isOurHandler({ type: "http", url: hookUrl(1234, "otto-cli"), ...token }, "otto-cli")).toBe(true);
    expect(isOurHandler({ type: "http", url: URL, ...token }, "otto-desktop")).toBe(false);
    expect(isOurHandler({ type: "http", url: "http://localhost:8080/events", ...token }, "otto-cli")).toBe(false);
    expect(isOurHandler({ type: "http", url: "http://127.0.0.1:47652/hook?surface=otto-cli&extra=1", ...token }, "otto-cli")).toBe(false);
    expect(isOurHandler({ type: "http", url: "https://127.0.0.1:47652/hook?surface=otto-cli", ...token }, "otto-cli")).toBe(false);
    expect(isOurHandler({ type: "http", url: "http://127.0.0.1:47652/other?surface=otto-cli", ...token }, "otto-cli")).toBe(false);
    // A person's own loopback hook at a look-alike URL, without our token header, is theirs: uninstall keeps it.
    expect(isOurHandler({ type: "http", url: URL }, "otto-cli")).toBe(false);
    expect(isOurHandler({ type: "http", url: URL, headers: { Authorization: "Bearer theirs" } }, "otto-cli")).toBe(false);
    expect(uninstallHooks({ hooks: { Stop: [{ matcher: "", hooks: [{ type: "http", url: URL }] }] } }, "otto-cli").changed).toBe(false);
    // A command entry with our URL in it is not an HTTP entry.
    expect(isOurHandler({ type: "command", url: URL, command: "curl", ...token }, "otto-cli")).toBe(false);
  });

  it("switches every entry in place from command to http and back, SessionStart staying a command, others' hooks untouched", () => {
    const commandOnce = installHooks(theirs(), "otto-cli", CMD).settings;
    const before = ours(commandOnce);
    expect([...before.keys()].sort()).toEqual([...HANDLED_EVENTS].sort());

    const http = installHooks(commandOnce, "otto-cli", CMD, 600, HTTP);
    expect(http.changed).toBe(true);
    expect(http.added).toEqual([]);
    expect(http.updated).toEqual(HANDLED_EVENTS.filter((e) => e !== "SessionStart"));
    const switched = ours(http.settings);
    for (const event of HANDLED_EVENTS) {
      // Same place, new kind.
      expect(switched.get(event)?.at).toBe(before.get(event)?.at);
      const expected =
        event === "SessionStart"
          ? { type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS }
          : { type: "http", url: URL, timeout: hookTimeoutSeconds(event, 600), headers: { [HOOK_TOKEN_HEADER]: TOKEN } };
      expect(switched.get(event)?.entry).toEqual(expected);
    }
    expect(uninstallHooks(http.settings, "otto-cli").settings).toEqual(theirs());

    const again = installHooks(http.settings, "otto-cli", CMD, 600, HTTP);
    expect(again).toMatchObject({ changed: false, added: [], updated: [] });
    expect(again.settings).toEqual(http.settings);

    const back = installHooks(http.settings, "otto-cli", CMD, 600, { kind: "command" });
    expect(back.updated).toEqual(HANDLED_EVENTS.filter((e) => e !== "SessionStart"));
    // Byte for byte the command install: no url or headers left behind.
    expect(JSON.stringify(back.settings)).toBe(JSON.stringify(commandOnce));
  });

  it("keeps a key a person added to an entry of ours across a switch", () => {
    const http = installHooks({}, "otto-cli", CMD, 600, HTTP).settings as { hooks: Hooks };
    const stop = http.hooks.Stop?.[0]?.hooks[0] as Entry;
    stop.statusMessage = "otto";
    const back = installHooks(http, "otto-cli", CMD, 600, { kind: "command" }).settings as { hooks: Hooks };
    expect(back.hooks.Stop?.[0]?.hooks[0]).toEqual({ statusMessage: "otto", type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS });
  });

  it("a new token or port rewrites the HTTP entries in place", () => {
    const http = installHooks(theirs(), "otto-cli", CMD, 600, HTTP).settings;
    const moved = installHooks(http, "otto-cli", CMD, 600, { kind: "http", url: hookUrl(50000, "otto-cli"), token: "d".repeat(64) });
    expect(moved.updated).toEqual(HANDLED_EVENTS.filter((e) => e !== "SessionStart"));
    expect(ours(moved.settings).get("Stop")?.entry).toMatchObject({ url: hookUrl(50000, "otto-cli"), headers: { [HOOK_TOKEN_HEADER]: "d".repeat(64) } });
    expect(uninstallHooks(moved.settings, "otto-cli").settings).toEqual(theirs());
  });

  it("inspectHooks reports the transport, the URLs and whether the token is current", () => {
    const http = installHooks(theirs(), "otto-cli", CMD, 600, HTTP).settings;
    const [status] = inspectHooks(http, "otto-cli", 600, TOKEN);
    expect(status).toMatchObject({ surface: "otto-cli", current: true, transport: "http", urls: [URL], commands: [CMD], tokenCurrent: true, missing: [], outdated: [] });
    // Another surface's HTTP entry is its own; others' HTTP hooks are nobody's.
    expect(inspectHooks(http, undefined, 600, TOKEN).map((s) => s.surface)).toEqual(["otto-cli", "otto-desktop"]);
    // No token to compare with: not judged.
    expect(inspectHooks(http, "otto-cli", 600)[0]).toMatchObject({ current: true, tokenCurrent: null });

    const stale = inspectHooks(http, "otto-cli", 600, "e".repeat(64))[0];
    expect(stale).toMatchObject({ current: false, tokenCurrent: false });
    expect(stale?.outdated.sort()).toEqual(HANDLED_EVENTS.filter((e) => e !== "SessionStart").sort());

    const command = inspectHooks(installHooks({}, "otto-cli", CMD).settings, "otto-cli", 600, TOKEN)[0];
    expect(command).toMatchObject({ current: true, transport: "command", urls: [], tokenCurrent: null });
  });

  it("inspectHooks marks a mix of transports out of date", () => {
    const http = installHooks({}, "otto-cli", CMD, 600, HTTP).settings as { hooks: Hooks };
    // One event left a command (an interrupted switch), and SessionStart made HTTP by hand (Claude Code sends none).
    const mixed = structuredClone(http);
    (mixed.hooks.Stop as { hooks: Entry[] }[])[0] = { hooks: [{ type: "command", command: CMD, timeout: HOOK_TIMEOUT_SECONDS }] };
    (mixed.hooks.SessionStart as { hooks: Entry[] }[])[0] = { hooks: [{ type: "http", url: URL, timeout: HOOK_TIMEOUT_SECONDS, headers: { [HOOK_TOKEN_HEADER]: TOKEN } }] };
    const status = inspectHooks(mixed, "otto-cli", 600, TOKEN)[0];
    expect(status).toMatchObject({ current: false, transport: "http" });
    expect(status?.outdated.sort()).toEqual(["SessionStart", "Stop"]);
    // Two tokens among the entries: not current either.
    const twoTokens = structuredClone(http);
    ((twoTokens.hooks.Stop as { hooks: Entry[] }[])[0]?.hooks[0] as Entry).headers = { [HOOK_TOKEN_HEADER]: "f".repeat(64) };
    expect(inspectHooks(twoTokens, "otto-cli", 600, TOKEN)[0]).toMatchObject({ current: false, tokenCurrent: false });
    // Two URLs: not current.
    const twoUrls = structuredClone(http);
    ((twoUrls.hooks.Stop as { hooks: Entry[] }[])[0]?.hooks[0] as Entry).url = hookUrl(50000, "otto-cli");
    expect(inspectHooks(twoUrls, "otto-cli", 600, TOKEN)[0]?.current).toBe(false);
    // Reinstalling repairs each.
    for (const broken of [mixed, twoTokens, twoUrls]) expect(inspectHooks(installHooks(broken, "otto-cli", CMD, 600, HTTP).settings, "otto-cli", 600, TOKEN)[0]?.current).toBe(true);
  });
});
