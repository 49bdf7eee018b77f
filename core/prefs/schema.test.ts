// The preferences schema's notification section: its default and its bounds.
import { describe, expect, it } from "vitest";
import { prefsSchema } from "./schema";

describe("notifications.minIntervalSeconds", () => {
  it("defaults to 60 s, also when the section is absent or empty", () => {
    expect(prefsSchema.parse({}).notifications).toEqual({ minIntervalSeconds: 60 });
    expect(prefsSchema.parse({ notifications: {} }).notifications).toEqual({ minIntervalSeconds: 60 });
  });

  it("accepts whole seconds from 10 to 3600 and names the field otherwise", () => {
    expect(prefsSchema.parse({ notifications: { minIntervalSeconds: 10 } }).notifications.minIntervalSeconds).toBe(10);
    for (const bad of [0, 9, 3601, 1.5, "60"]) {
      const parsed = prefsSchema.safeParse({ notifications: { minIntervalSeconds: bad } });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["notifications", "minIntervalSeconds"]);
    }
    expect(prefsSchema.safeParse({ notifications: { minInterval: 60 } }).success).toBe(false);
  });
});
