// Manual mode with an actuator section that cannot be used, on a real hosted session: the plan is refused as blocked,
// naming the problem, where the wider defaults would have let `npm test` be answered.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasPrompt, hostStandIn } from "../../test-support/hosted-session";
import { readActuatorPolicy } from "../prefs/actuator-file";
import { prefsSchema } from "../prefs/schema";
import { turnSwitchOn } from "./state/safety-switch";
import { planUnstick } from "./unstick";

describe("unstick plan with unusable actuator preferences", () => {
  it("refuses as blocked and says why; the same prompt is planned once the section is fixed", async () => {
    const s = await hostStandIn({ STANDIN_MODE: "numbered", STANDIN_COMMAND: "npm test" }, hasPrompt);
    turnSwitchOn(s.home, true);
    const file = join(s.home, "preferences.json");
    writeFileSync(file, JSON.stringify({ actuator: { blocklist: [42] } }));
    const ctx = () => ({ homeDir: s.home, busDir: s.bus, prefs: prefsSchema.parse({}), policy: readActuatorPolicy(file) });
    expect(await planUnstick(ctx(), "otto-cli")).toMatchObject({ ok: false, refusal: "blocked", reason: expect.stringMatching(/actuator preferences cannot be used.*actuator\.blocklist\[0\]/) });
    writeFileSync(file, JSON.stringify({ actuator: { blocklist: ["terraform"] } }));
    expect(await planUnstick(ctx(), "otto-cli")).toMatchObject({ ok: true });
  });
});
