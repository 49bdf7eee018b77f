// The first-run checklist: one line while steps are left, gone when every hook is current and every pool exists.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AppSnapshot } from "../../../core/api";
import { snapshotWith, surface } from "../test-fixtures";
import { SetupChecklist } from "./setup-checklist";

type HookRow = AppSnapshot["hooks"]["surfaces"][number];
const hook = (surface: string, current: boolean): HookRow => ({ surface, installed: current, current, missing: [], outdated: [], installCommand: "/opt/otto-tray hook" });
const lease = (state: "free" | "missing") => ({ sidetick: "sidetick-1", path: "/p", state, holderPid: null, since: null, branch: null, note: null });

function render(hooks: HookRow[], poolState: "free" | "missing", advice: string | null = null): string {
  const snapshot = snapshotWith([surface()]);
  snapshot.hooks = { ...snapshot.hooks, surfaces: hooks, autoModeAdvice: advice };
  snapshot.pool = { poolRoot: "/pool", problem: null, identities: [{ identity: "otto-cli", size: 1, sideticks: [lease(poolState)] }] };
  return renderToStaticMarkup(<SetupChecklist snapshot={snapshot} onInstall={() => undefined} busy={false} />);
}

describe("SetupChecklist", () => {
  it("counts the steps left in its one line, with the pool's command", () => {
    const html = render([hook("otto-cli", false), hook("otto-desktop", true)], "missing");
    expect(html).toMatch(/<summary>Set-up: 1 of 3 done<span class="why"> \(hooks, pool to do\)<\/span><\/summary>/);
    expect(html).toMatch(/data-testid="setup-pool".*otto-tray pool init/);
  });

  it("disappears when done, keeping only the auto-mode advice when there is some", () => {
    expect(render([hook("otto-cli", true)], "free")).toBe("");
    expect(render([hook("otto-cli", true)], "free", "turn `auto` off")).toMatch(/data-testid="auto-mode-advice".*<code>auto<\/code>/);
  });
});
