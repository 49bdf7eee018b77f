// The app's bridge, from its preferences, against a real nats-server: the other machines in the snapshot, a bridge run by
// `otto-tray bridge` shown as such, and every way the section cannot be used shown as one line (never thrown).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AppSnapshot } from "../api";
import { startedService } from "../../test-support/app-services";
import { Machine, stopAllBridges } from "../../test-support/bridge-machine";
import { makeBus } from "../../test-support/bus";
import { startNatsServer, stopAllNatsServers } from "../../test-support/nats-server";
import { waitFor } from "../../test-support/terminal";
import { makeTempDir } from "../../test-support/temp";

afterAll(() => {
  stopAllBridges();
  stopAllNatsServers();
});

function appHome(bridge: Record<string, unknown>): { home: string; bus: string } {
  const { home, bus } = makeBus("otto-app-bridge-");
  writeFileSync(join(home, "preferences.json"), JSON.stringify({ busDir: bus, bridge }));
  return { home, bus };
}

describe("the app's bridge", () => {
  it("runs from the preferences and shows the other machines' surfaces in the snapshot", async () => {
    const hub = await startNatsServer();
    const { home } = appHome({ enabled: true, url: hub.url, host: "mac-app" });
    const service = await startedService({ home });
    const other = new Machine("mac-b");
    await other.startBridge(hub.url);
    other.beat("otto-cli", { status: "working", waiting: "permission for Bash: rm -rf build" });
    const seen = await waitFor(() => {
      const bridge = service.snapshot().bridge;
      return bridge.hosts.find((h) => h.host === "mac-b")?.surfaces.find((s) => s.surface === "otto-cli" && s.state === "waiting") ? bridge : undefined;
    }, "the app to show mac-b's waiting surface", { timeoutMs: 30_000, describe: () => JSON.stringify(service.snapshot().bridge, null, 1) });
    expect(seen).toMatchObject({ state: "running", host: "mac-app", link: "connected" });
    expect(seen.hosts.find((h) => h.host === "mac-b")?.surfaces.find((s) => s.surface === "otto-cli")?.waitingKind).toBe("permission for Bash");
    // And mac-b sees the app's machine.
    await other.waitForRemote("mac-app", "otto-cli", "unknown");
    await other.stopBridge();
    await service.stop();
    await hub.stop();
  });

  it("shows a bridge that `otto-tray bridge` runs for the same state directory", async () => {
    const hub = await startNatsServer();
    const machine = new Machine("mac-cli");
    await machine.startBridge(hub.url);
    await machine.waitForOutput(/connected to/, "connected");
    writeFileSync(join(machine.home, "preferences.json"), JSON.stringify({ busDir: machine.bus }));
    const service = await startedService({ home: machine.home });
    const view = await waitFor(() => {
      const b = service.snapshot().bridge;
      return b.state === "elsewhere" && b.link === "connected" ? b : undefined;
    }, "the CLI's bridge shown", { timeoutMs: 15_000, describe: () => JSON.stringify(service.snapshot().bridge) });
    expect(view).toMatchObject({ host: "mac-cli", url: hub.url });
    await machine.stopBridge();
    await waitFor(() => service.snapshot().bridge.state === "off", "the stopped bridge no longer shown", { timeoutMs: 30_000 });
    await service.stop();
    await hub.stop();
  });

  it("says in one line why the section cannot be used, and the app runs on", async () => {
    const creds = join(makeTempDir("otto-creds-"), "seed");
    writeFileSync(creds, `SU${"A".repeat(56)}\n`, { mode: 0o644 });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ enabled: true }, /^the bridge is turned on but has no URL: set bridge\.url/],
      [{ enabled: true, url: "nats://127.0.0.1:1", credsFile: creds }, /^bridge\.credsFile: .*seed can be read by others \(mode 644\)/],
      [{ enabled: true, url: "nats://127.0.0.1:1", credsFile: join(creds, "..", "missing") }, /^bridge\.credsFile: .*missing cannot be opened \(ENOENT\)/],
    ];
    for (const [bridge, problem] of cases) {
      const service = await startedService({ home: appHome(bridge).home });
      const snapshot: AppSnapshot = service.snapshot();
      expect(snapshot.bridge.state, JSON.stringify(bridge)).toBe("problem");
      expect(snapshot.bridge.problem).toMatch(problem);
      expect(snapshot.detector.surfaces.length).toBe(3);
      await service.stop();
    }
    // A URL with credentials in it is refused by the preferences' schema alone (the rest of the section is kept), and
    // named without repeating what it holds.
    const service = await startedService({ home: appHome({ enabled: true, url: "nats://me:secret@hub:4222" }).home });
    expect(service.snapshot().bridge).toMatchObject({ state: "problem", problem: expect.stringMatching(/has no URL/) as unknown as string });
    expect(service.snapshot().prefsProblems.join("\n")).toMatch(/bridge\.url/);
    expect(service.snapshot().prefsProblems.join("\n")).not.toContain("secret");
  });
});
