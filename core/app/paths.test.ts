// The one rule for the state directory, preferences file and bus, with where each path came from.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { resolveHomeDir } from "../bus/paths";
import { resolveAppPaths } from "./paths";
import { readPrefsFile } from "./prefs-store";

const none = () => undefined;

describe("resolveAppPaths", () => {
  it("without options or shell variables (an app started from the Finder) takes the bus from the preferences in the platform's state directory", () => {
    const env = { HOME: makeTempDir() };
    const state = resolveHomeDir(undefined, env);
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "preferences.json"), JSON.stringify({ busDir: "/Users/a/bus" }));
    const fromFile = (file: string | undefined) => (file === undefined ? undefined : readPrefsFile(file).prefs.busDir);
    const paths = resolveAppPaths({}, env, fromFile);
    expect(paths).toMatchObject({ homeDir: state, homeSource: "default", busDir: "/Users/a/bus", busSource: "preferences", prefsFile: join(state, "preferences.json") });
    // Before the file exists the default bus applies, and the file to write is still the state directory's.
    expect(resolveAppPaths({}, { HOME: makeTempDir() }, fromFile)).toMatchObject({ busDir: "/tmp/zeta-bus", busSource: "default" });
  });

  it("lets --bus-dir win over $ZETA_BUS_DIR, which wins over the preferences, which win over /tmp/zeta-bus", () => {
    const env = { HOME: "/h", ZETA_BUS_DIR: "/env-bus", OTTO_TRAY_HOME: "/state" };
    expect(resolveAppPaths({ busDir: "/opt-bus" }, env, () => "/pref-bus")).toMatchObject({ busDir: "/opt-bus", busSource: "option", homeDir: "/state", homeSource: "environment" });
    expect(resolveAppPaths({}, env, () => "/pref-bus")).toMatchObject({ busDir: "/env-bus", busSource: "environment" });
    expect(resolveAppPaths({}, { HOME: "/h" }, none)).toMatchObject({ busDir: "/tmp/zeta-bus", busSource: "default" });
  });

  it("uses --config as the preferences file and --home as the state directory", () => {
    expect(resolveAppPaths({ home: "/s", config: "/c.json" }, {}, none)).toMatchObject({ homeDir: "/s", homeSource: "option", prefsFile: "/c.json", prefsSource: "option" });
  });
});
