// The app service and the actuator's policy, with real files: a wider policy from prefsSet or --config disarms auto
// mode and says why; an unusable actuator section refuses (never the wider defaults); "try a command" judges as the CLI.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAudit } from "./actuator/state/audit-log";
import { readSwitch } from "./actuator/state/safety-switch";
import { API } from "./api";
import { makeBus } from "../test-support/bus";
import { makeTempDir } from "../test-support/temp";
import { startedService } from "../test-support/app-services";

const started = startedService;

const NPM_TEST = { program: "npm", subcommand: ["test"] };

async function armed(actuator: Record<string, unknown>) {
  const { home, bus } = makeBus();
  writeFileSync(join(home, "preferences.json"), JSON.stringify({ actuator }));
  const service = await started({ home, busDir: bus });
  await service.handlers.actuatorOn({ confirm: true });
  expect((await service.handlers.autoOn({ hours: 1, confirm: true })).autoActive).toBe(true);
  return { home, bus, service };
}

describe("AppService and the actuator policy", () => {
  it("disarms auto mode when prefsSet widens the allowlist, and shows why in the snapshot and the audit log", async () => {
    const { home, service } = await armed({ autoAllowlist: [NPM_TEST] });
    expect((await service.handlers.prefsSet({ prefs: { actuator: { autoAllowlist: [NPM_TEST, { program: "make", subcommand: ["build"] }] } } })).ok).toBe(true);
    const status = await service.handlers.actuatorStatus({});
    expect(status).toMatchObject({ autoActive: false, disarmedReason: expect.stringMatching(/"make build"/) });
    expect(service.snapshot().actuator.disarmedReason).toMatch(/arm it again/);
    expect(API.snapshot.result.safeParse(service.snapshot()).success).toBe(true);
    expect(readAudit(home).some((e) => e.event === "auto-disarmed")).toBe(true);
  });

  it("keeps auto mode armed when prefsSet only narrows (a blocklist entry added)", async () => {
    const { service } = await armed({ autoAllowlist: [NPM_TEST], blocklist: [] });
    await service.handlers.prefsSet({ prefs: { actuator: { autoAllowlist: [NPM_TEST], blocklist: ["curl"] } } });
    expect((await service.handlers.actuatorStatus({})).autoActive).toBe(true);
  });

  it("disarms auto mode armed under one preferences file when the app starts with a wider --config", async () => {
    const { home, bus, service } = await armed({ autoAllowlist: [NPM_TEST], blocklist: ["terraform"] });
    await service.stop();
    const config = join(makeTempDir(), "wide.json");
    writeFileSync(config, JSON.stringify({ actuator: { autoAllowlist: [NPM_TEST] } }));
    await started({ home, busDir: bus, config });
    expect(readSwitch(home)).toMatchObject({ autoUntil: null, disarmed: { reason: expect.stringMatching(/the blocklist lost "terraform"/) } });
  });

  it("with an invalid actuator section: says so in the snapshot and the log, refuses every judgement and refuses to arm", async () => {
    const { home, bus } = makeBus();
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ actuator: { blocklist: "rm" } }));
    const service = await started({ home, busDir: bus });
    expect(service.snapshot().policy.problem).toMatch(/actuator\.blocklist/);
    expect(readAudit(home).filter((e) => e.event === "policy").map((e) => e.reason)).toEqual([expect.stringMatching(/auto mode stays off and manual mode refuses/)]);
    expect(await service.handlers.actuatorJudge({ text: "ls", auto: false })).toMatchObject({ verdict: "blocked", reason: expect.stringMatching(/cannot be used/) });
    await service.handlers.actuatorOn({ confirm: true });
    await expect(service.handlers.autoOn({ hours: 1, confirm: true })).rejects.toThrow(/cannot be armed/);
  });

  it("keeps the person's blocklist when another field of the file is invalid (the defaults' empty one is wider)", async () => {
    const { home, bus } = makeBus();
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ quorumSize: 0, actuator: { blocklist: ["npm"] } }));
    const service = await started({ home, busDir: bus });
    // The bad key falls back alone (core/prefs/lenient.ts), named; the file as a whole is used.
    expect(await service.handlers.prefsGet({})).toMatchObject({ problem: null, problems: [expect.stringMatching(/quorumSize/)], prefs: { actuator: { blocklist: ["npm"] } } });
    expect(await service.handlers.actuatorJudge({ text: "npm test", auto: false })).toMatchObject({ verdict: "blocked", reason: expect.stringMatching(/your blocklist entry "npm"/) });
  });

  it("names dropped allowlist entries in the snapshot and, once, in the audit log", async () => {
    const { home, bus } = makeBus();
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ actuator: { autoAllowlist: ["npm test", "pytest *"] } }));
    const service = await started({ home, busDir: bus });
    expect(service.snapshot().policy.dropped).toEqual([{ entry: "pytest *", why: expect.any(String) }]);
    await service.handlers.setPaused({ paused: true });
    await service.handlers.setPaused({ paused: false });
    expect(readAudit(home).filter((e) => e.event === "policy").map((e) => e.reason)).toEqual([expect.stringMatching(/dropped: "pytest \*"/)]);
  });

  it("actuatorJudge gives the CLI's judgement: npm test allowed, rm blocked, the text refused", async () => {
    const { home, bus } = makeBus();
    const service = await started({ home, busDir: bus });
    const view = await service.handlers.actuatorJudge({ text: "npm test; rm -rf /", auto: false });
    expect(API.actuatorJudge.result.parse(view)).toMatchObject({ mode: "manual", verdict: "blocked" });
    expect(view.commands.map((c) => [c.program, c.verdict])).toEqual([
      ["npm", "allowed"],
      ["rm", "blocked"],
    ]);
  });
});
