// The hooks panel from the snapshot: an install button only where hooks are missing or old and a command is known.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AppSnapshot } from "../../../core/api";
import { hookEndpointText, HooksPanel } from "./info-panels";

type HookRow = AppSnapshot["hooks"]["surfaces"][number];
const row = (surface: string, over: Partial<HookRow> = {}): HookRow => ({
  surface,
  installed: false,
  current: false,
  missing: [],
  outdated: [],
  installCommand: `/opt/otto-tray hook --surface ${surface} --pid "$PPID"`,
  ...over,
});
const render = (surfaces: HookRow[], busy = false) =>
  renderToStaticMarkup(<HooksPanel hooks={{ settingsFile: "/u/.claude/settings.json", problem: null, autoModeAdvice: null, surfaces }} onInstall={() => undefined} busy={busy} />);

describe("HooksPanel", () => {
  it("offers Install for a surface without hooks and Update for one whose hooks are old, beside the shell command", () => {
    const html = render([row("otto-cli"), row("otto-desktop", { installed: true, outdated: ["Stop"] })]);
    expect(html).toMatch(/otto-cli: not installed <button[^>]*data-testid="hooks-install-otto-cli"[^>]*>Install hooks<\/button>/);
    expect(html).toMatch(/otto-desktop: installed, not current <button[^>]*data-testid="hooks-install-otto-desktop"[^>]*>Update hooks<\/button>/);
    // The shell command on one line (a code element that never wraps) with its Copy button.
    expect(html).toMatch(/or from a shell: <span class="shell-command"><code[^>]*>otto-tray hooks install --surface otto-cli<\/code><button[^>]*>Copy<\/button>/);
  });

  it("shows no button for current hooks, nor where the service knows no command (the shell command only)", () => {
    const html = render([row("otto-cli", { installed: true, current: true }), row("otto-desktop", { installCommand: null })]);
    expect(html).toMatch(/otto-cli: installed, current/);
    expect(html).not.toMatch(/hooks-install-/);
    expect(html).toMatch(/install from a shell: <span class="shell-command"><code[^>]*>otto-tray hooks install --surface otto-desktop<\/code>/);
  });

  it("disables the button while another action runs", () => {
    expect(render([row("otto-cli")], true)).toMatch(/data-testid="hooks-install-otto-cli" disabled=""/);
  });
});

describe("the hook endpoint's line", () => {
  it("says who answers the HTTP hooks, or why nobody does", () => {
    expect(hookEndpointText({ port: 47652, state: "owned", detail: null })).toBe("127.0.0.1:47652, answered by this Otto Tray");
    expect(hookEndpointText({ port: 47652, state: "elsewhere", detail: "owned by otto-tray serve (pid 42)" })).toBe("127.0.0.1:47652, answered by another Otto Tray (owned by otto-tray serve (pid 42))");
    expect(hookEndpointText({ port: 47652, state: "failed", detail: "127.0.0.1:47652 is taken by another program (refused); choose another hookHttpPort in preferences" })).toMatch(/^not answered: 127\.0\.0\.1:47652 is taken by another program/);
    expect(hookEndpointText({ port: 0, state: "off", detail: "OTTO_TRAY_HOOK_PORT is 0: this process opens no hook endpoint" })).toBe("off: OTTO_TRAY_HOOK_PORT is 0: this process opens no hook endpoint");
  });

  it("a Codex surface's row names its agent and file, and a file that cannot be read says why", () => {
    const html = render([row("codex-main", { agent: "codex", settingsFile: "/u/.codex/config.toml", problem: "/u/.codex/config.toml is not valid TOML" })]);
    expect(html).toMatch(/codex-main \(Codex, in \/u\/\.codex\/config\.toml\): not installed/);
    expect(html).toContain("is not valid TOML");
  });
});

