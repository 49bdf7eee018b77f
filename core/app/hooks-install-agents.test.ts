// "Install hooks" from the app for Codex and Gemini surfaces: each in its agent's own file (never Claude Code's), with
// the handler told its agent, the person's content kept, and the snapshot then showing them installed and current.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { API } from "../api";
import { AppService } from "../app-service";
import { makeBus } from "../../test-support/bus";
import { makeTempDir } from "../../test-support/temp";

const services: AppService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

const EXECUTABLE = "'/Applications/Otto Tray.app/x/otto-tray'";
const PERSON_TOML = '# mine\nmodel = "gpt-5"\n';

async function started() {
  const { bus, home } = makeBus();
  const user = makeTempDir("otto-user-");
  const env = { HOME: user, CLAUDE_CONFIG_DIR: join(user, ".claude"), CODEX_HOME: join(user, ".codex") };
  mkdirSync(env.CODEX_HOME);
  writeFileSync(join(env.CODEX_HOME, "config.toml"), PERSON_TOML);
  writeFileSync(join(home, "preferences.json"), JSON.stringify({ busDir: bus, surfaces: ["otto-cli", { id: "codex-main", agent: "codex" }, { id: "gem-main", agent: "gemini" }] }));
  const service = new AppService({ home, env, hookCommand: EXECUTABLE, tickMs: 60_000 });
  services.push(service);
  await service.start();
  return { service, env, home };
}

const view = (service: AppService, surface: string) => service.snapshot().hooks.surfaces.find((s) => s.surface === surface);

describe("hooksInstall for Codex and Gemini surfaces", () => {
  it("shows each surface's own file and command, installs there, and leaves Claude Code's settings alone", async () => {
    const { service, env, home } = await started();
    const codexFile = join(env.CODEX_HOME, "config.toml");
    const geminiFile = join(env.HOME, ".gemini", "settings.json");
    const codexCommand = `${EXECUTABLE} hook --surface codex-main --pid "$PPID" --home ${home} --agent codex`;
    expect(view(service, "codex-main")).toMatchObject({ agent: "codex", settingsFile: codexFile, installed: false, current: false, installCommand: codexCommand, problem: null });
    expect(view(service, "gem-main")).toMatchObject({ agent: "gemini", settingsFile: geminiFile, installed: false, installCommand: expect.stringMatching(/ --agent gemini$/) as unknown });
    expect(service.hooksInstallPreview("codex-main")).toEqual({ ok: true, agent: "codex", settingsFile: codexFile, command: codexCommand });

    const codex = await service.handlers.hooksInstall({ surface: "codex-main", confirm: true });
    expect(API.hooksInstall.result.safeParse(codex).success).toBe(true);
    expect(codex).toMatchObject({ ok: true, surface: "codex-main", settingsFile: codexFile, changed: true, added: expect.arrayContaining(["PermissionRequest", "Stop"]) as unknown, command: codexCommand, advice: expect.stringMatching(/Trust all and continue/) as unknown });
    const toml = readFileSync(codexFile, "utf8");
    expect(toml.startsWith(PERSON_TOML)).toBe(true);
    expect(JSON.stringify(parse(toml))).toContain(JSON.stringify(codexCommand).slice(1, -1));
    expect(view(service, "codex-main")).toMatchObject({ installed: true, current: true, missing: [], outdated: [] });

    const gemini = await service.handlers.hooksInstall({ surface: "gem-main", confirm: true });
    expect(gemini).toMatchObject({ ok: true, settingsFile: geminiFile, changed: true, advice: expect.stringMatching(/cannot answer its prompts/) as unknown });
    expect(view(service, "gem-main")).toMatchObject({ installed: true, current: true });
    // Claude Code's settings were never written for them; its own surface is still not installed.
    expect(existsSync(join(env.CLAUDE_CONFIG_DIR, "settings.json"))).toBe(false);
    expect(view(service, "otto-cli")).toMatchObject({ installed: false });
  });

  it("a Codex file that is not TOML: that surface's row says why, the install is refused and the file left as it was", async () => {
    const { service, env } = await started();
    const codexFile = join(env.CODEX_HOME, "config.toml");
    writeFileSync(codexFile, "model = = broken\n");
    await expect.poll(() => view(service, "codex-main")?.problem ?? null, { timeout: 10_000 }).toMatch(/config\.toml|TOML|Invalid/i);
    expect(view(service, "codex-main")).toMatchObject({ installed: false, current: false });
    const refused = await service.handlers.hooksInstall({ surface: "codex-main", confirm: true });
    expect(refused).toMatchObject({ ok: false, refusal: "settings-unusable" });
    expect(readFileSync(codexFile, "utf8")).toBe("model = = broken\n");
  });
});
