// The popover's safety switch panel says why auto mode was disarmed, that unusable actuator preferences stop it, and
// which old allowlist entries were dropped.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AppSnapshot } from "../../../core/api";
import { SafetySwitch } from "./safety-switch";

const actuator = (over: Partial<AppSnapshot["actuator"]> = {}): AppSnapshot["actuator"] => ({ on: true, since: null, autoUntil: null, problem: null, autoActive: false, disarmedReason: null, ...over });
const render = (a: AppSnapshot["actuator"], policy: AppSnapshot["policy"] = { problem: null, dropped: [], allowlist: [] }) => renderToStaticMarkup(<SafetySwitch actuator={a} policy={policy} onToggle={() => undefined} onAuto={() => undefined} />);

describe("SafetySwitch", () => {
  it("says why auto mode was disarmed while it is off", () => {
    const html = render(actuator({ disarmedReason: 'auto mode was disarmed: the policy is wider than when it was armed: the allowlist gained or changed "make build"; arm it again to confirm' }));
    expect(html).toMatch(/data-testid="auto-disarmed"[^>]*>auto mode was disarmed: .*make build/);
    expect(render(actuator({ autoActive: true, autoUntil: "2026-01-01T00:00:00Z", disarmedReason: "old" }))).not.toMatch(/auto-disarmed/);
  });

  it("names an unusable actuator section and every dropped allowlist entry", () => {
    const html = render(actuator(), { problem: "preferences.json: actuator.blocklist: expected array", dropped: [{ entry: "pytest *", why: "a pattern with * matched any text" }], allowlist: [] });
    expect(html).toMatch(/data-testid="policy-problem"[^>]*>Actuator preferences unusable: auto mode stays off .*actuator\.blocklist/);
    expect(html).toMatch(/Allowlist entry dropped: “pytest \*” \(a pattern with \* matched any text\)/);
  });
});
