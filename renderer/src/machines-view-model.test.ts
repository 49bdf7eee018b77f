// The other machines as the popover words them: hidden without a bridge, each machine's link and states, what needs a person.
import { describe, expect, it } from "vitest";
import type { BridgeViewApi } from "../../core/api";
import { machinesModel } from "./machines-view-model";
import { NOW } from "./test-fixtures";

const OFF: BridgeViewApi = { state: "off", host: null, url: null, link: null, since: null, problem: null, publisher: null, hosts: [] };
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const remote = (surface: string, state: BridgeViewApi["hosts"][number]["surfaces"][number]["state"], waitingKind: string | null = null) => ({ surface, state, lastHeartbeatAt: at(1000), idleSince: null, waitingKind, publishedAt: at(1000) });

describe("machinesModel", () => {
  it("shows nothing while no bridge runs", () => {
    expect(machinesModel(OFF, NOW).shown).toBe(false);
  });

  it("says why the bridge cannot run", () => {
    const model = machinesModel({ ...OFF, state: "problem", problem: "bridge.credsFile: /c can be read by others (mode 644)" }, NOW);
    expect(model).toMatchObject({ shown: true, headline: "Bridge cannot run: bridge.credsFile: /c can be read by others (mode 644)", headlineTone: "alarm" });
  });

  it("groups each machine's surfaces under its name, most urgent first, with its link; a waiting one is opened and says where to answer", () => {
    const bridge: BridgeViewApi = {
      ...OFF,
      state: "running",
      host: "mac-a",
      url: "nats://hub:4222",
      link: "connected",
      since: at(60_000),
      hosts: [
        { host: "build-box", link: "silent", since: at(185_000), lastSeen: at(185_000), surfaces: [remote("otto-launchd", "working")] },
        { host: "mac-b", link: "connected", since: null, lastSeen: at(1000), surfaces: [remote("otto-desktop", "idle"), remote("otto-cli", "waiting", "permission for Bash"), { ...remote("otto-launchd", "idle"), agent: "codex" }] },
      ],
    };
    const model = machinesModel(bridge, NOW);
    expect(model.headline).toBe("Bridge to nats://hub:4222 as mac-a: connected");
    expect(model.machines.map((m) => [m.host, m.link, m.summary, m.attention])).toEqual([
      ["build-box", "silent for 3m 05s", "1 working", false],
      ["mac-b", "connected", "1 waiting · 2 idle", true],
    ]);
    expect(model.machines[1]?.surfaces.map((s) => [s.id, s.agent, s.word, s.waiting])).toEqual([
      ["otto-cli", null, "Waiting", "permission for Bash"],
      ["otto-desktop", null, "Idle", null],
      ["otto-launchd", "Codex", "Idle", null],
    ]);
  });

  it("says a link that is down, and a bridge run by otto-tray bridge", () => {
    const model = machinesModel({ ...OFF, state: "elsewhere", host: "mac-a", url: "nats://hub:4222", link: "reconnecting", since: at(12_000), problem: "lost nats://hub:4222; reconnecting" }, NOW);
    expect(model.headline).toBe("Bridge to nats://hub:4222 as mac-a (run by otto-tray bridge): reconnecting for 12s — lost nats://hub:4222; reconnecting");
    expect(model.headlineTone).toBe("attention");
  });
});
