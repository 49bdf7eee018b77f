// The tray's icon, title, tooltip and menu for each kind of snapshot, and how untrusted bus text is shown.
import { describe, expect, it } from "vitest";
import type { AppSnapshot } from "../../core/api";
import { NOW, snapshotWith, surface } from "../../renderer/src/test-fixtures";
import { MENU_LINE_CHARS, type TrayMenuItem, trayIconFile, trayView } from "./tray-model";

const calm = () => snapshotWith([surface({ id: "otto-cli" }), surface({ id: "otto-desktop", state: "idle", idleSince: "2026-05-16T09:55:00Z" })]);
const stateLabels = (menu: TrayMenuItem[]) => menu.flatMap((m) => (m.kind === "state" ? [m.label] : []));

describe("trayView's icon and title", () => {
  it("is calm with no title when every surface is fine", () => {
    const view = trayView(calm(), false, NOW);
    expect(view.icon).toBe("normal");
    expect(view.title).toBe("");
  });

  it.each(["waiting", "hung", "standing-by"] as const)("shows attention and a count of 1 when a surface is %s", (state) => {
    const view = trayView(snapshotWith([surface({ id: "a", state }), surface({ id: "b" })]), false, NOW);
    expect(view.icon).toBe("attention");
    expect(view.title).toBe("1");
  });

  it("shows attention for an active quorum of idle surfaces, counting its members", () => {
    const snapshot = snapshotWith([surface({ id: "a", state: "idle" }), surface({ id: "b", state: "idle" })], { quorum: ["a", "b"] });
    const view = trayView(snapshot, false, NOW);
    expect(view.icon).toBe("attention");
    expect(view.title).toBe("2");
  });

  it("counts each surface once when it is both stuck and in the quorum", () => {
    const snapshot = snapshotWith([surface({ id: "a", state: "standing-by" }), surface({ id: "b", state: "idle" }), surface({ id: "c", state: "waiting" })], { quorum: ["a", "b"] });
    expect(trayView(snapshot, false, NOW).title).toBe("3");
  });

  it("is unknown, never calm, before the first snapshot", () => {
    const view = trayView(null, false, NOW);
    expect(view.icon).toBe("unknown");
    expect(view.title).toBe("");
    expect(view.tooltip).toContain("No state yet");
  });

  it("is unknown, not attention or calm, when the bus is untrusted", () => {
    expect(trayView(snapshotWith([surface()], { trusted: false }), false, NOW).icon).toBe("unknown");
    expect(trayView(snapshotWith([surface({ state: "waiting" })], { trusted: false }), false, NOW)).toMatchObject({ icon: "unknown", title: "" });
  });

  it("is unknown when the bus reports a problem (missing directory) even if marked trusted", () => {
    const snapshot = calm();
    snapshot.detector.busProblem = "/tmp/bus does not exist";
    expect(trayView(snapshot, false, NOW).icon).toBe("unknown");
  });

  it("is paused while detection is paused, whatever the snapshot says", () => {
    expect(trayView(snapshotWith([surface({ state: "waiting" })]), true, NOW)).toMatchObject({ icon: "paused", title: "" });
    expect(trayView(null, true, NOW).icon).toBe("paused");
  });

  it("names an icon file for every look, template images for all but attention", () => {
    expect(trayIconFile("normal")).toBe("IconTemplate.png");
    expect(trayIconFile("paused")).toBe("IconPausedTemplate.png");
    expect(trayIconFile("unknown")).toBe("IconUnknownTemplate.png");
    expect(trayIconFile("attention")).toBe("IconAttention.png");
  });
});

describe("trayView's tooltip", () => {
  it("starts with Otto Tray and lists every surface's state in words, one line each", () => {
    const snapshot = snapshotWith([
      surface({ id: "otto-cli", state: "waiting", waiting: "Bash(npm test)" }),
      surface({ id: "otto-desktop", label: "Desktop", state: "hung", lastHeartbeatAt: "2026-05-16T09:48:00Z" }),
      surface({ id: "otto-launchd", state: "offline", reason: "process 123 is gone" }),
      surface({ id: "otto-web", state: "standing-by", briefAckStreak: 6 }),
    ]);
    expect(trayView(snapshot, false, NOW).tooltip.split("\n")).toEqual([
      "Otto Tray",
      "otto-cli — Waiting: Bash(npm test)",
      "Desktop — Hung: no heartbeat for 12m 00s",
      "otto-launchd — Offline: process 123 is gone",
      "otto-web — Standing by: 6 brief acknowledgements in a row",
    ]);
  });

  it("says when the bus is untrusted and when detection is paused", () => {
    const tooltip = trayView(snapshotWith([surface()], { trusted: false }), true, NOW).tooltip;
    expect(tooltip).toContain("Detection paused");
    expect(tooltip).toContain("Bus not trusted (/tmp/bus is writable by others)");
    expect(tooltip).toContain("otto-cli — Working");
  });

  it("says a bus that does not exist yet has no heartbeats yet, not that it is untrusted", () => {
    const view = trayView(snapshotWith([surface({ state: "unknown", lastHeartbeatAt: null })], { missing: true }), false, NOW);
    expect(view.tooltip).toContain("No heartbeats yet: /tmp/bus does not exist yet");
    expect(view.tooltip).not.toContain("not trusted");
    expect(view.icon).toBe("unknown");
  });

  it("does not say every surface is silent while a surface's process is known alive", () => {
    const silent = (alive: boolean | null) => snapshotWith([surface({ state: "hung", pid: 4242, alive }), surface({ id: "b", state: "stale" })], { allSilent: true });
    expect(trayView(silent(null), false, NOW).tooltip).toContain("Every surface is silent");
    expect(trayView(silent(true), false, NOW).tooltip).not.toContain("Every surface is silent");
  });

  it("names the quorum's members", () => {
    const snapshot = snapshotWith([surface({ id: "a", label: "Alpha", state: "idle" }), surface({ id: "b", state: "idle" })], { quorum: ["a", "b"] });
    expect(trayView(snapshot, false, NOW).tooltip).toContain("Quorum: Alpha and b idle together");
  });

  it("says when every surface is silent and when it just woke", () => {
    const snapshot = calm();
    snapshot.detector.allSilent = true;
    snapshot.detector.wakeGraceUntil = new Date(NOW + 60_000).toISOString();
    const tooltip = trayView(snapshot, false, NOW).tooltip;
    expect(tooltip).toContain("silent");
    expect(tooltip).toContain("Just woke");
  });

  it("says when no surface is configured", () => {
    expect(trayView(snapshotWith([]), false, NOW).tooltip).toContain("No surfaces configured");
  });
});

describe("trayView's menu", () => {
  it("has the state lines, then Open, Pause, Preferences… (⌘,) and Quit (⌘Q)", () => {
    const view = trayView(snapshotWith([surface({ id: "otto-cli", state: "waiting", waiting: "Bash(rm -rf build)" })]), false, NOW);
    expect(view.menu).toEqual([
      { kind: "state", surface: "otto-cli", label: "otto-cli — Waiting: Bash(rm -rf build)" },
      { kind: "separator" },
      { kind: "action", action: "open-popover", label: "Open Otto Tray" },
      { kind: "action", action: "toggle-pause", label: "Pause detection", checked: false },
      { kind: "action", action: "preferences", label: "Preferences…", accelerator: "CommandOrControl+," },
      { kind: "separator" },
      { kind: "action", action: "quit", label: "Quit Otto Tray", accelerator: "CommandOrControl+Q" },
    ]);
  });

  it("ticks Pause detection while paused and puts the paused line first", () => {
    const view = trayView(calm(), true, NOW);
    expect(view.menu.find((m) => m.kind === "action" && m.action === "toggle-pause")).toMatchObject({ checked: true });
    expect(view.menu[0]).toMatchObject({ kind: "state", surface: "", label: expect.stringContaining("Detection paused") });
  });

  it("shows a line saying there is no state yet before the first snapshot", () => {
    expect(stateLabels(trayView(null, false, NOW).menu)).toEqual(["No state yet: the detector has not reported"]);
  });

  it("strips escape sequences, control characters, line breaks and bidi overrides from bus text", () => {
    const hostile = snapshotWith([surface({ id: "otto-cli", label: "evil\u001b]0;pwned\u0007\u202e", state: "waiting", waiting: "Bash(\u001b[31mrm\u001b[0m)\nQuit Otto Tray\r\u0000" })]);
    const [line] = stateLabels(trayView(hostile, false, NOW).menu);
    expect(line).toBe("evil — Waiting: Bash(rm) Quit Otto Tray");
    expect(trayView(hostile, false, NOW).tooltip.split("\n")).toHaveLength(2);
    // eslint-disable-next-line no-control-regex -- checking that none are left
    expect(trayView(hostile, false, NOW).tooltip).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it("cuts long bus text so menu lines stay short", () => {
    const snapshot: AppSnapshot = snapshotWith([surface({ id: "otto-cli", label: "L".repeat(500), state: "waiting", waiting: "W".repeat(10_000) })]);
    const view = trayView(snapshot, false, NOW);
    for (const label of stateLabels(view.menu)) expect(Array.from(label).length).toBeLessThanOrEqual(MENU_LINE_CHARS);
    expect(stateLabels(view.menu)[0]).toMatch(/…$/);
    for (const line of view.tooltip.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("cuts a hostile bus problem too", () => {
    const snapshot = snapshotWith([], { trusted: false });
    snapshot.detector.busProblem = `bad\n${"p".repeat(5000)}`;
    const [line] = stateLabels(trayView(snapshot, false, NOW).menu);
    expect(Array.from(line!).length).toBeLessThanOrEqual(MENU_LINE_CHARS);
    expect(line).not.toContain("\n");
  });
});
