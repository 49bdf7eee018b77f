// The preferences form's conversions: what is sent keeps what the form does not show, and errors land beside their field.
import { describe, expect, it } from "vitest";
import { actuatorPrefsSchema, bridgePrefsSchema, notificationPrefsSchema, prefsObjectSchema } from "../../../core/prefs/schema";
import { FIELDS, fromForm, placeErrors, toForm } from "./prefs-fields";

const prefs = { poolSize: 3, identities: ["a"], surfaces: [{ id: "otto-cli", label: "CLI", activityFiles: [] }, { id: "x", activityFiles: [] }], actuator: { autoAfterSeconds: 120, blocklist: [] }, staleAfterSeconds: 300 };

describe("preferences form", () => {
  it("round-trips the preferences and keeps a surface's other settings when its id stays", () => {
    const form = toForm(prefs);
    expect(form).toMatchObject({ poolSize: "3", identities: "a", surfaces: "otto-cli, x", "actuator.autoAfterSeconds": "120", repo: "" });
    const sent = fromForm(prefs, { ...form, surfaces: "otto-cli, y", poolSize: "5" });
    expect(sent.surfaces).toEqual([{ id: "otto-cli", label: "CLI", activityFiles: [] }, "y"]);
    // An entry that carries nothing but its id is written back as the bare id, as a person would write it.
    expect(fromForm(prefs, { ...form, surfaces: "x, otto-cli" }).surfaces).toEqual(["x", { id: "otto-cli", label: "CLI", activityFiles: [] }]);
    // An agent other than Claude Code is written with the surface, and shown as id:agent.
    const withAgents = fromForm(prefs, { ...form, surfaces: "x:codex, y:gemini, otto-cli:claude-code" }).surfaces;
    expect(withAgents).toEqual([{ id: "x", activityFiles: [], agent: "codex" }, { id: "y", agent: "gemini" }, { id: "otto-cli", label: "CLI", activityFiles: [], agent: "claude-code" }]);
    expect(toForm({ surfaces: withAgents }).surfaces).toBe("x:codex, y:gemini, otto-cli");
    expect(sent.poolSize).toBe(5);
    expect(sent.repo).toBeUndefined();
  });

  it("shows and sends the notification interval, a nested field", () => {
    expect(toForm(prefs)["notifications.minIntervalSeconds"]).toBe("");
    expect(fromForm(prefs, { ...toForm(prefs), "notifications.minIntervalSeconds": "120" }).notifications).toEqual({ minIntervalSeconds: 120 });
    expect(toForm({ ...prefs, notifications: { minIntervalSeconds: 90 } })["notifications.minIntervalSeconds"]).toBe("90");
    expect(placeErrors({ "notifications.minIntervalSeconds": "Too small: expected number to be >=10" }).byField).toEqual({
      "notifications.minIntervalSeconds": "Too small: expected number to be >=10",
    });
  });

  it("shows and sends how long Codex holds its dialog for a plan; the schema bounds it to 0–300", () => {
    const sent = fromForm(prefs, { ...toForm(prefs), "actuator.codexPermissionWaitSeconds": "0" });
    expect(sent.actuator).toEqual({ autoAfterSeconds: 120, blocklist: [], codexPermissionWaitSeconds: 0 });
    expect(actuatorPrefsSchema.parse(sent.actuator).codexPermissionWaitSeconds).toBe(0);
    expect(actuatorPrefsSchema.parse({}).codexPermissionWaitSeconds).toBe(20);
    expect(actuatorPrefsSchema.safeParse({ codexPermissionWaitSeconds: 301 }).success).toBe(false);
  });

  it("sends a number field that is not a number as typed, so the core schema names it", () => {
    expect(fromForm(prefs, { ...toForm(prefs), poolSize: "three" }).poolSize).toBe("three");
  });

  it("places each error beside its field, nested and indexed paths included, and the rest on top", () => {
    expect(placeErrors({ poolSize: "Too big", "actuator.autoAfterSeconds": "Too small", "surfaces[1]": "bad id", gitTimeoutSeconds: "x" })).toEqual({
      byField: { poolSize: "Too big", "actuator.autoAfterSeconds": "Too small", surfaces: "bad id" },
      other: ["gitTimeoutSeconds: x"],
    });
  });

  it("has a field for each first-run setting, and every field is a key the schema knows", () => {
    const keys = FIELDS.map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(["baseRef", "quorumCooldownSeconds", "briefAckEscalateAfter"]));
    const sections: Record<string, object> = { actuator: actuatorPrefsSchema.shape, notifications: notificationPrefsSchema.shape, bridge: bridgePrefsSchema.shape };
    for (const key of keys) {
      const [head = "", sub] = key.split(".");
      expect(sub === undefined ? head in prefsObjectSchema.shape : sub in (sections[head] ?? {}), key).toBe(true);
    }
  });
});
