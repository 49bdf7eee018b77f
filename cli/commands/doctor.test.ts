// `otto-tray doctor` and `actuator status`/`auto on` name what the actuator's preferences drop or cannot use (built CLI).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
});

function withPrefs(value: unknown): { home: string; file: string } {
  const home = makeTempDir("otto-doctor-");
  const file = join(home, "preferences.json");
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return { home, file };
}

describe("otto-tray doctor", () => {
  it("finds nothing wrong with the defaults (exit 0)", () => {
    const result = runCli(["doctor", "--home", makeTempDir()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("no problems found\n");
  });

  it("names each old allowlist entry with * that was dropped, and converts the others (exit 6)", () => {
    const { home } = withPrefs({ actuator: { autoAllowlist: ["npm test", "git diff *", "pytest *"] } });
    const result = runCli(["doctor", "--home", home, "--json"]);
    expect(result.code).toBe(6);
    const report = JSON.parse(result.stdout) as { problems: string[]; policy: { dropped: { entry: string }[] } };
    expect(report.policy.dropped.map((d) => d.entry)).toEqual(["git diff *", "pytest *"]);
    expect(report.problems.join("\n")).toMatch(/dropped: "git diff \*"/);
    expect(runCli(["actuator", "status", "--home", home]).stdout).toMatch(/auto allowlist entry dropped: "pytest \*"/);
  });

  it("says an invalid actuator section keeps auto mode off and manual mode refusing, naming the field; auto on is refused", () => {
    const { home } = withPrefs({ actuator: { blocklist: [""] } });
    const result = runCli(["doctor", "--home", home]);
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/auto mode stays off and manual mode refuses.*actuator\.blocklist\[0\]/);
    const bus = ["--home", home, "--bus-dir", makeTempDir()];
    expect(runCli(["actuator", "on", "--confirm", ...bus]).code).toBe(0);
    const arm = runCli(["actuator", "auto", "on", "--hours", "1", "--confirm", ...bus]);
    expect(arm.code).toBe(5);
    expect(arm.stderr).toMatch(/refused \(blocked\): the actuator preferences cannot be used/);
    expect(JSON.parse(readFileSync(join(home, "actuator", "switch.json"), "utf8")).autoUntil).toBeNull();
  });

  it("names a --config that does not exist rather than reading the defaults", () => {
    const result = runCli(["doctor", "--home", makeTempDir(), "--config", "/no/such/prefs.json"]);
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\/no\/such\/prefs\.json cannot be read/);
  });
});
