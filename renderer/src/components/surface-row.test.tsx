// A surface row rendered from its model: the state word is in the badge, Unstick carries its disabled reason.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { surfaceRow } from "../view-model";
import { snapshotWith, surface } from "../test-fixtures";
import { SurfaceRow } from "./surface-row";

const NOW = Date.parse("2026-05-16T10:00:00Z");
const render = (s: ReturnType<typeof surface>, on: boolean) => renderToStaticMarkup(<SurfaceRow row={surfaceRow(s, snapshotWith([s], { on }), NOW)} onUnstick={() => undefined} busy={false} />);

describe("SurfaceRow", () => {
  it("renders the state as a word inside the state badge, with the test ids the e2e walk uses", () => {
    const html = render(surface({ state: "waiting", waiting: "Bash: rm -rf build" }), true);
    expect(html).toMatch(/data-testid="surface-row-otto-cli"/);
    expect(html).toMatch(/data-testid="surface-state-otto-cli"[^>]*>.*Waiting<\/span>/);
    expect(html).toMatch(/Bash: rm -rf build/);
    expect(html).toMatch(/data-testid="unstick-otto-cli"/);
    expect(html).not.toMatch(/disabled/);
  });

  it("disables Unstick and says why while the safety switch is off", () => {
    const html = render(surface({ state: "hung" }), false);
    expect(html).toMatch(/data-testid="unstick-otto-cli" disabled=""/);
    expect(html).toMatch(/Safety switch is off/);
  });

  it("names the agent beside each surface: Claude Code unless the preferences say Codex or Gemini", () => {
    expect(render(surface(), true)).toMatch(/data-testid="surface-agent-otto-cli">Claude Code</);
    expect(render(surface({ id: "cx", agent: "codex" }), true)).toMatch(/data-testid="surface-agent-cx">Codex</);
    expect(render(surface({ id: "gm", agent: "gemini" }), true)).toMatch(/data-testid="surface-agent-gm">Gemini</);
  });

  it("shows no Unstick on a working surface", () => {
    expect(render(surface(), true)).not.toMatch(/unstick-/);
  });
});
