// `otto-tray hooks status`, the permission-mode note, and concurrent installs (the built CLI as real processes).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "../../core/hooks/map";
import { REPO_ROOT, runCli, runCliAsync } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

interface StatusJson {
  surfaces: { surface: string; current: boolean; installed: string[]; missing: string[]; outdated: string[]; commands: string[]; missingPrograms: string[] }[];
  permissionMode: { defaultMode: string | null; permissionRequestFires: boolean; advice: string | null };
}

function settings(value: unknown = {}): string {
  const file = join(makeTempDir("otto-hooks-status-"), "settings.json");
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

function status(file: string, extra: string[] = []): { code: number | null; json: StatusJson } {
  const result = runCli(["hooks", "status", "--settings", file, "--json", ...extra]);
  expect(result.stderr).toBe("");
  return { code: result.code, json: JSON.parse(result.stdout) as StatusJson };
}

/** What an otto-tray from before PermissionRequest, PostToolUseFailure and PostToolBatch were handled wrote. */
function olderInstall(surface: string): Record<string, unknown> {
  const command = `/opt/otto-tray/bin/otto-tray hook --surface ${surface} --pid "$PPID"`;
  const entry = (matcher?: string) => [{ ...(matcher === undefined ? {} : { matcher }), hooks: [{ type: "command", command, timeout: 10 }] }];
  return {
    permissions: { defaultMode: "default" },
    hooks: {
      SessionStart: entry(),
      UserPromptSubmit: entry(),
      PreToolUse: entry("*"),
      PostToolUse: entry("*"),
      Stop: entry(),
      Notification: entry(),
      SessionEnd: entry(),
    },
  };
}

describe("hooks status", () => {
  it("reports a fresh install as current, per surface", () => {
    const file = settings({ permissions: { defaultMode: "default" } });
    for (const surface of ["otto-a", "otto-b"]) expect(runCli(["hooks", "install", "--surface", surface, "--settings", file, "--allow-new-surface"]).code).toBe(0);
    const { code, json } = status(file);
    expect(code).toBe(0);
    expect(json.surfaces.map((s) => [s.surface, s.current, s.missing])).toEqual([
      ["otto-a", true, []],
      ["otto-b", true, []],
    ]);
    expect(json.surfaces[0]?.installed).toEqual([...HANDLED_EVENTS]);
  });

  it("reports an older install that misses events (exit 6), and install updates it in place", () => {
    const file = settings(olderInstall("otto-cli"));
    const before = status(file);
    expect(before.code).toBe(6);
    expect(before.json.surfaces).toMatchObject([{ surface: "otto-cli", current: false, missing: ["PermissionRequest", "PostToolUseFailure", "PostToolBatch"] }]);
    const text = runCli(["hooks", "status", "--settings", file]);
    expect(text.stdout).toMatch(/otto-cli: out of date; run otto-tray hooks install/);
    expect(text.stdout).toMatch(/missing: +PermissionRequest, PostToolUseFailure, PostToolBatch/);

    const install = runCli(["hooks", "install", "--surface", "otto-cli", "--settings", file, "--json"]);
    expect(JSON.parse(install.stdout)).toMatchObject({ added: ["PermissionRequest", "PostToolUseFailure", "PostToolBatch"] });
    const after = status(file);
    expect(after.code).toBe(0);
    expect(after.json.surfaces).toMatchObject([{ surface: "otto-cli", current: true, missing: [], outdated: [] }]);
    // Updated in place: one entry per event, in the groups the older install made.
    const hooks = (JSON.parse(readFileSync(file, "utf8")) as { hooks: Record<string, unknown[]> }).hooks;
    expect(Object.values(hooks).every((groups) => groups.length === 1)).toBe(true);
  });

  it("an entry with an old timeout is outdated", () => {
    const value = olderInstall("otto-cli") as { hooks: Record<string, { hooks: { timeout: number }[] }[]> };
    (value.hooks.Stop?.[0]?.hooks[0] as { timeout: number }).timeout = 60;
    const { json } = status(settings(value));
    expect(json.surfaces[0]?.outdated).toEqual(["Stop"]);
  });

  it("an install whose program is gone (node upgraded, checkout moved) is not current", () => {
    const file = settings({ permissions: { defaultMode: "default" } });
    expect(runCli(["hooks", "install", "--surface", "otto-cli", "--settings", file, "--command", "/nonexistent/node /nonexistent/otto-tray"]).code).toBe(0);
    const { code, json } = status(file);
    expect(code).toBe(6);
    expect(json.surfaces).toMatchObject([{ surface: "otto-cli", current: false, missing: [], missingPrograms: ["/nonexistent/node", "/nonexistent/otto-tray"] }]);
    expect(runCli(["hooks", "status", "--settings", file]).stdout).toMatch(/missing program: \/nonexistent\/node/);
    expect(runCli(["hooks", "install", "--surface", "otto-cli", "--settings", file]).code).toBe(0);
    expect(status(file).code).toBe(0);
  });

  it("a surface asked for by name and not installed: exit 6 with what to run", () => {
    const file = settings({});
    expect(status(file, ["--surface", "otto-x"])).toMatchObject({ code: 6, json: { surfaces: [{ surface: "otto-x", current: false, installed: [] }] } });
    expect(runCli(["hooks", "status", "--settings", file, "--surface", "otto-x"]).stdout).toMatch(/otto-x: not installed .*run otto-tray hooks install --surface otto-x/);
  });
});

describe("permission mode", () => {
  it.each([
    ["not set", {}, false],
    ["auto", { permissions: { defaultMode: "auto" } }, false],
    ["default", { permissions: { defaultMode: "default" } }, true],
    ["acceptEdits", { permissions: { defaultMode: "acceptEdits" } }, true],
  ] as const)("defaultMode %s: PermissionRequest fires = %s, and install says what to change when not", (_name, value, fires) => {
    const file = settings(value);
    const install = runCli(["hooks", "install", "--surface", "otto-cli", "--settings", file]);
    expect(install.code).toBe(0);
    if (fires) {
      expect(install.stdout).not.toMatch(/note:/);
    } else {
      expect(install.stdout).toMatch(/note: permissions\.defaultMode .* auto mode, where a dialog sends no PermissionRequest/);
      expect(install.stdout).toContain(`set "permissions": {"defaultMode": "default"} in ${file}`);
    }
    const json = JSON.parse(runCli(["hooks", "install", "--surface", "otto-cli", "--settings", file, "--json"]).stdout) as { permissionMode: StatusJson["permissionMode"] };
    expect(json.permissionMode.permissionRequestFires).toBe(fires);
    expect(status(file).json.permissionMode.permissionRequestFires).toBe(fires);
  });
});

describe("hooks install run concurrently", () => {
  it("installs for many surfaces at once into one settings file, and every surface's entries land", async () => {
    const file = settings({ permissions: { defaultMode: "default" }, model: "opus" });
    const surfaces = Array.from({ length: 8 }, (_, i) => `otto-c${i}`);
    const results = await Promise.all(surfaces.map((surface) => runCliAsync(["hooks", "install", "--surface", surface, "--settings", file, "--allow-new-surface"], { timeoutMs: 60_000 })));
    expect(results.map((r) => [r.code, r.stderr])).toEqual(surfaces.map(() => [0, ""]));
    const written = JSON.parse(readFileSync(file, "utf8")) as { model: string; hooks: Record<string, { hooks: { command: string }[] }[]> };
    const surfacesIn = (event: string) => (written.hooks[event] ?? []).flatMap((g) => g.hooks.map((h) => /--surface (\S+)/.exec(h.command)?.[1])).sort();
    for (const event of ["SessionStart", "Stop", "PreToolUse"]) expect(surfacesIn(event)).toEqual(surfaces);
    expect(written.model).toBe("opus");
    const { code, json } = status(file);
    expect(json.surfaces.map((s) => [s.surface, s.current])).toEqual(surfaces.map((s) => [s, true]));
    expect(code).toBe(0);
  }, 90_000);
});
