// The actuator policy read from a preferences file fails closed: a file that cannot be used never gives the wider
// defaults; old string allowlist entries become exact templates or are dropped and named.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { loadShellParser } from "../actuator/policy/shell-parser";
import { judgeText } from "../actuator/policy/judge-text";
import { DEFAULT_TEMPLATES } from "../actuator/policy/context";
import { readActuatorPolicy } from "./actuator-file";

function file(text: string): string {
  const path = join(makeTempDir("otto-actuator-file-"), "preferences.json");
  writeFileSync(path, text);
  return path;
}

describe("readActuatorPolicy", () => {
  it("reads no file, or a missing one, as the defaults; a missing --config as a problem", () => {
    expect(readActuatorPolicy(undefined)).toMatchObject({ templates: DEFAULT_TEMPLATES, blocklist: [], problem: null });
    expect(readActuatorPolicy("/no/such/preferences.json").problem).toBeNull();
    expect(readActuatorPolicy("/no/such/preferences.json", { mustExist: true }).problem).toMatch(/cannot be read/);
  });

  it("converts old entries without * to exact templates and drops the ones with *, naming them", () => {
    const policy = readActuatorPolicy(file(JSON.stringify({ actuator: { autoAllowlist: ["npm run lint", "git diff *"] } })));
    expect(policy.templates).toEqual([{ program: "npm", subcommand: ["run", "lint"], options: {}, required: [], viaRunner: false }]);
    expect(policy.dropped).toEqual([{ entry: "git diff *", why: expect.stringMatching(/\* matched any text/) }]);
  });

  it("gives a policy that refuses everything, naming why, for garbage, an invalid section or an unreadable file", () => {
    for (const text of ["{ not json", "[]", JSON.stringify({ actuator: { blocklist: "rm" } }), JSON.stringify({ actuator: { autoAllowlist: [{ program: "npm", options: { "--x": "anything" } }] } })]) {
      const policy = readActuatorPolicy(file(text));
      expect(policy.problem).not.toBeNull();
      expect(policy.templates).toEqual([]);
    }
    expect(readActuatorPolicy(file(JSON.stringify({ actuator: { blocklist: "rm" } }))).problem).toMatch(/actuator\.blocklist/);
    if (process.getuid?.() !== 0) {
      const unreadable = file(JSON.stringify({ actuator: { blocklist: ["rm"] } }));
      chmodSync(unreadable, 0o000);
      expect(readActuatorPolicy(unreadable).problem).toMatch(/cannot be read/);
    }
  });

  it("keeps the person's actuator section when only another field is invalid (it is never replaced by the defaults)", () => {
    const policy = readActuatorPolicy(file(JSON.stringify({ quorumSize: 0, actuator: { blocklist: ["npm"], autoAllowlist: [] } })));
    expect(policy).toMatchObject({ problem: null, blocklist: ["npm"], templates: [] });
  });

  it("makes manual mode refuse, as blocked, while the section cannot be used", async () => {
    await loadShellParser();
    const judged = await judgeText("ls", { policy: readActuatorPolicy(file("{")), mode: "manual", projectDir: "/tmp" });
    expect(judged).toMatchObject({ verdict: "blocked", reason: expect.stringMatching(/actuator preferences cannot be used/) });
  });
});
