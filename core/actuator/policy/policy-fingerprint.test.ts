// What counts as widening the policy auto mode was armed with: any template added or changed, any blocklist entry
// removed; removing a template or adding a blocklist entry narrows it.
import { describe, expect, it } from "vitest";
import { argvTemplateSchema } from "./argv-template-schema";
import { DEFAULT_TEMPLATES } from "./context";
import { policyFingerprint, wideningOf } from "./policy-fingerprint";

const npmTest = argvTemplateSchema.parse({ program: "npm", subcommand: ["test"] });
const gitStatus = argvTemplateSchema.parse({ program: "git", subcommand: ["status"], options: { "-s": "flag" } });
const armed = policyFingerprint({ templates: [npmTest, gitStatus], blocklist: ["make clean", "terraform"] });

describe("wideningOf", () => {
  it("finds nothing for the same policy, whatever the order of templates, keys or blocklist spacing", () => {
    const reordered = argvTemplateSchema.parse({ options: { "-s": "flag" }, subcommand: ["status"], program: "git" });
    expect(wideningOf(armed, { templates: [reordered, npmTest], blocklist: ["terraform", "make   clean"] })).toBeUndefined();
  });

  it("names a template added", () => {
    const added = argvTemplateSchema.parse({ program: "make", subcommand: ["build"] });
    expect(wideningOf(armed, { templates: [npmTest, gitStatus, added], blocklist: ["make clean", "terraform"] })).toMatch(/allowlist gained or changed "make build"/);
  });

  it("counts any change to a template as widening, even one that looks narrower", () => {
    const moreOptions = argvTemplateSchema.parse({ program: "git", subcommand: ["status"], options: { "-s": "flag", "--porcelain": "flag" } });
    const fewerOptions = argvTemplateSchema.parse({ program: "git", subcommand: ["status"] });
    expect(wideningOf(armed, { templates: [npmTest, moreOptions], blocklist: ["make clean", "terraform"] })).toMatch(/git status/);
    expect(wideningOf(armed, { templates: [npmTest, fewerOptions], blocklist: ["make clean", "terraform"] })).toMatch(/git status/);
  });

  it("names a blocklist entry removed (or changed)", () => {
    expect(wideningOf(armed, { templates: [npmTest, gitStatus], blocklist: ["make clean"] })).toMatch(/blocklist lost "terraform"/);
    expect(wideningOf(armed, { templates: [npmTest, gitStatus], blocklist: ["make clean", "terraform apply"] })).toMatch(/blocklist lost "terraform"/);
  });

  it("never calls a pure narrowing widening: a template removed, a blocklist entry added, everything removed", () => {
    expect(wideningOf(armed, { templates: [npmTest], blocklist: ["make clean", "terraform", "curl"] })).toBeUndefined();
    expect(wideningOf(armed, { templates: [], blocklist: ["make clean", "terraform"] })).toBeUndefined();
  });

  it("gives the same digest for the default allowlist however it is reached, and another one for any change", () => {
    expect(policyFingerprint({ templates: [...DEFAULT_TEMPLATES], blocklist: [] }).digest).toBe(policyFingerprint({ templates: [...DEFAULT_TEMPLATES].reverse(), blocklist: [] }).digest);
    expect(policyFingerprint({ templates: DEFAULT_TEMPLATES, blocklist: ["x"] }).digest).not.toBe(policyFingerprint({ templates: DEFAULT_TEMPLATES, blocklist: [] }).digest);
  });
});
