// A plan's fingerprint changes with any character of the prompt, with the directory it runs in and with the target.
import { describe, expect, it } from "vitest";
import { promptFromRequest } from "../hook/request-prompt";
import { hookTarget, planFingerprint, ptyTarget } from "./plan-fingerprint";

const reading = (command: string, description?: string) => promptFromRequest({ sessionId: "s", toolName: "Bash", toolInput: { command, ...(description ? { description } : {}) }, cwd: "/p" });
const scope = { cwd: "/work/project", target: hookTarget("a".repeat(32)) };

describe("planFingerprint", () => {
  it("is the same for the same prompt, directory and target", () => {
    expect(planFingerprint(reading("npm test"), scope)).toBe(planFingerprint(reading("npm test"), { ...scope }));
  });

  it("changes with one invisible character anywhere in the command, and with the description", () => {
    const base = planFingerprint(reading(`npm test\n${"x".repeat(5000)}`), scope);
    for (const changed of [`npm test\n${"x".repeat(5000)}\u200b`, `npm\u00a0test\n${"x".repeat(5000)}`, `npm test\r\n${"x".repeat(5000)}`]) {
      expect(planFingerprint(reading(changed), scope)).not.toBe(base);
    }
    expect(planFingerprint(reading("npm test", "Run tests"), scope)).not.toBe(planFingerprint(reading("npm test", "Run tests\u202e"), scope));
  });

  it("changes with the working directory and the target", () => {
    const base = planFingerprint(reading("npm test"), scope);
    expect(planFingerprint(reading("npm test"), { ...scope, cwd: "/work/project/" })).not.toBe(base);
    expect(planFingerprint(reading("npm test"), { ...scope, target: hookTarget("b".repeat(32)) })).not.toBe(base);
    expect(planFingerprint(reading("npm test"), { ...scope, target: ptyTarget("a".repeat(32)) })).not.toBe(base);
  });
});
