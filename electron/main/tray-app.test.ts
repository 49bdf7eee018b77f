// The menu-bar app's behaviour over a real service and bus, with Electron replaced by a recording fake shell.
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSwitch } from "../../core/actuator/state/safety-switch";
import { shellQuote } from "../../core/hooks/settings";
import { AppService } from "../../core/app-service";
import { makeBus, writeHeartbeat } from "../../test-support/bus";
import { CLI_BIN, runCli } from "../../test-support/cli";
import { FakeShell } from "../../test-support/fake-electron-shell";
import { makeTempDir } from "../../test-support/temp";
import { waitFor } from "../../test-support/terminal";
import { IPC } from "./ipc-guard";
import { TrayApp } from "./tray-app";

const running: { app: TrayApp; service: AppService }[] = [];
afterEach(async () => {
  for (const { app, service } of running.splice(0)) {
    app.stop();
    await service.stop();
  }
});

async function launch(argv: string[] = [], options: { env?: NodeJS.ProcessEnv; hookCommand?: string } = {}) {
  const { bus, home } = makeBus();
  const service = new AppService({ home, busDir: bus, env: options.env ?? {}, hookCommand: options.hookCommand });
  await service.start();
  const shell = new FakeShell();
  const app = new TrayApp(shell, service, { rescuedPollMs: 3_600_000 });
  running.push({ app, service });
  app.start(argv);
  return { bus, home, service, shell, app };
}

/** What the popover's renderer would send: its own contents id and the renderer's URL. */
function fromPopover(shell: FakeShell) {
  const popover = shell.window("popover");
  if (!popover) throw new Error("no popover");
  return { frameUrl: `${shell.rendererIndexUrl}#/`, contentsId: popover.contentsId };
}

describe("TrayApp", () => {
  it("puts the snapshot in the menu bar and turns to the attention icon, title and one notification when a surface waits", async () => {
    const { bus, shell } = await launch();
    writeHeartbeat(bus, "otto-cli", { status: "working", note: "tests" });
    await waitFor(() => /otto-cli\W+working/i.test(shell.tray.tooltip), "the tooltip to name otto-cli working");
    expect(shell.tray.image).not.toMatch(/Attention/);
    expect(shell.tray.menu.some((item) => item.kind === "state" && item.surface === "otto-cli")).toBe(true);

    writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: "Bash(npm test)" });
    await waitFor(() => shell.tray.image.includes("Attention"), "the attention icon");
    expect(shell.tray.title).toBe("1");
    await waitFor(() => shell.notifications.length > 0, "a notification");
    const waiting = shell.notifications.filter((n) => n.surface === "otto-cli");
    expect(waiting).toHaveLength(1);
    // The same event seen again (another heartbeat saying the same) does not notify twice.
    writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: "Bash(npm test)" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(shell.notifications.filter((n) => n.surface === "otto-cli")).toHaveLength(1);
  });

  it("clicking a notification opens the popover under the tray and points it at that surface", async () => {
    const { shell, app } = await launch();
    app.notificationClicked({ key: "k", title: "otto-cli is waiting", body: "", surface: "otto-cli" });
    const popover = shell.window("popover");
    expect(popover?.visible).toBe(true);
    expect(popover?.position).toBeDefined();
    expect(popover?.sent.some((m) => m.channel === IPC.focusSurface && m.payload === "otto-cli")).toBe(true);
    // A click on the tray icon hides it again; a click elsewhere (blur) hides it too.
    app.trayClicked();
    expect(popover?.visible).toBe(false);
    app.trayClicked();
    expect(popover?.visible).toBe(true);
    app.windowBlurred(popover!);
    expect(popover?.visible).toBe(false);
  });

  it("refuses IPC from a window that is not its own, from a foreign page in its window, and names the bad field", async () => {
    const { shell, app } = await launch(["--open-popover"]);
    const own = fromPopover(shell);
    expect(await app.ipcCall(own, "snapshot", {})).toMatchObject({ ok: true });
    expect(await app.ipcCall({ ...own, contentsId: 9999 }, "snapshot", {})).toMatchObject({ ok: false, status: 403 });
    expect(await app.ipcCall({ ...own, frameUrl: "https://example.com/" }, "snapshot", {})).toMatchObject({ ok: false, status: 403 });
    expect(await app.ipcCall({ ...own, frameUrl: undefined }, "snapshot", {})).toMatchObject({ ok: false, status: 403 });
    const bad = await app.ipcCall(own, "unstickPlan", { surface: "../../etc" });
    expect(bad).toMatchObject({ ok: false, status: 400, field: "surface" });
    expect(await app.ipcCall(own, "__proto__", {})).toMatchObject({ ok: false });
  });

  it("turns the safety switch on only after the native dialog is confirmed; the popover stays open during it", async () => {
    const { shell, app, home } = await launch(["--open-popover"]);
    const own = fromPopover(shell);
    const popover = shell.window("popover")!;
    // The dialog takes focus from the popover: that blur must not hide it.
    const original = shell.confirm;
    shell.confirm = async (text, parent) => {
      app.windowBlurred(popover);
      return original(text, parent);
    };

    shell.answer = false;
    const cancelled = await app.ipcCall(own, "actuatorOn", { confirm: true });
    expect(cancelled).toMatchObject({ ok: true, result: { on: false } });
    expect(readSwitch(home).on).toBe(false);
    expect(shell.dialogs[0]?.popoverVisibleDuring).toBe(true);
    expect(shell.dialogs[0]?.parent).toBe(popover);
    expect(popover.visible).toBe(true);

    shell.answer = true;
    expect(await app.ipcCall(own, "actuatorOn", { confirm: true })).toMatchObject({ ok: true, result: { on: true } });
    expect(readSwitch(home).on).toBe(true);
    expect(shell.dialogs).toHaveLength(2);
  });

  it("asks before arming auto mode and never presses for a plan it did not make", async () => {
    const { shell, app, home } = await launch(["--open-popover"]);
    const own = fromPopover(shell);
    shell.answer = false;
    expect(await app.ipcCall(own, "autoOn", { hours: 1, confirm: true })).toMatchObject({ ok: true, result: { autoActive: false } });
    expect(shell.dialogs[0]?.text.message).toMatch(/1/);
    expect(readSwitch(home).autoUntil).toBeNull();

    shell.answer = true;
    const unknown = await app.ipcCall(own, "unstickConfirm", { planId: "made-up" });
    expect(unknown).toMatchObject({ ok: true, result: { ok: false, refusal: "unknown-plan" } });
    // No dialog was even shown for it.
    expect(shell.dialogs).toHaveLength(1);
  });

  it("installs a surface's hooks only after the native dialog names the settings file and the command", async () => {
    const claude = makeTempDir("otto-claude-");
    const settingsFile = join(claude, "settings.json");
    writeFileSync(settingsFile, `${JSON.stringify({ model: "opus" }, null, 2)}\n`);
    const before = readFileSync(settingsFile, "utf8");
    const stableLink = "/Users/me/Library/Application Support/Otto Tray/bin/otto-tray";
    const { shell, app, home, bus, service } = await launch(["--open-popover"], { env: { CLAUDE_CONFIG_DIR: claude }, hookCommand: shellQuote(stableLink) });
    const own = fromPopover(shell);
    const command = `'${stableLink}' hook --surface otto-cli --pid "$PPID" --bus-dir ${bus} --home ${home}`;

    shell.answer = false;
    const cancelled = await app.ipcCall(own, "hooksInstall", { surface: "otto-cli", confirm: true });
    expect(cancelled).toMatchObject({ ok: true, result: { ok: false, refusal: "cancelled" } });
    expect(shell.dialogs[0]?.text.message).toContain(settingsFile);
    expect(shell.dialogs[0]?.text.detail).toContain(command);
    expect(shell.dialogs[0]?.parent).toBe(shell.window("popover"));
    expect(readFileSync(settingsFile, "utf8")).toBe(before);

    shell.answer = true;
    const installed = await app.ipcCall(own, "hooksInstall", { surface: "otto-cli", confirm: true });
    expect(installed).toMatchObject({ ok: true, result: { ok: true, settingsFile, changed: true, command } });
    const settings = JSON.parse(readFileSync(settingsFile, "utf8")) as { model: string; hooks: Record<string, { hooks: { command: string }[] }[]> };
    expect(settings.model).toBe("opus");
    expect(settings.hooks.Stop?.[0]?.hooks[0]?.command).toBe(command);
    expect(service.snapshot().hooks.surfaces.find((s) => s.surface === "otto-cli")).toMatchObject({ installed: true, current: true });

    // A surface that is not in the preferences is refused before any dialog.
    const unknown = await app.ipcCall(own, "hooksInstall", { surface: "nobody", confirm: true });
    expect(unknown).toMatchObject({ ok: true, result: { ok: false, refusal: "unknown-surface" } });
    expect(shell.dialogs).toHaveLength(2);
  });

  it("confirms a command too long for a native box in the app's own window, every line shown, and does nothing on cancel", async () => {
    const { shell, app, home, bus } = await launch(["--open-popover"]);
    const own = fromPopover(shell);
    expect(runCli(["actuator", "on", "--confirm", "--home", home, "--bus-dir", bus]).code).toBe(0);
    // (An ESC or a bidi override would be refused by the policy before any plan: a tab and a literal ␛ get through.)
    const command = Array.from({ length: 40 }, (_, i) => `echo 'line ${i} ${"x".repeat(110)}${i === 5 ? "\t" : ""}${i === 33 ? "␛" : ""}'`).join("\n");
    // The real `otto-tray hook`, as Claude Code runs it on a PermissionRequest for that command.
    const hook = spawn(process.execPath, [CLI_BIN, "hook", "--surface", "otto-cli", "--pid", String(process.pid), "--home", home, "--bus-dir", bus], { stdio: ["pipe", "ignore", "ignore"] });
    const ended = new Promise((resolve) => hook.on("exit", resolve));
    try {
      hook.stdin.end(JSON.stringify({ hook_event_name: "PermissionRequest", session_id: "s-long", tool_name: "Bash", tool_input: { command }, cwd: makeTempDir() }));
      const requests = join(home, "actuator", "requests");
      await waitFor(() => existsSync(requests) && readdirSync(requests).some((f) => f.endsWith(".json")), "the hook's pending request");
      const planned = (await app.ipcCall(own, "unstickPlan", { surface: "otto-cli" })) as { ok: true; result: { ok: true; plan: { planId: string } } };
      expect(planned).toMatchObject({ ok: true, result: { ok: true } });

      shell.answer = false;
      const cancelled = await app.ipcCall(own, "unstickConfirm", { planId: planned.result.plan.planId });
      expect(cancelled).toMatchObject({ ok: true, result: { ok: false, refusal: "cancelled" } });
      expect(shell.dialogs).toHaveLength(0);
      expect(shell.windowConfirms).toHaveLength(1);
      const html = shell.windowConfirms[0]?.page.html ?? "";
      expect(html.match(/<li>/g)).toHaveLength(40);
      for (let i = 0; i < 40; i++) expect(html).toContain(`echo &#39;line ${i} ${"x".repeat(110)}`);
      expect(html).toContain(`${"x".repeat(110)}<mark title="TAB, U+0009">␉</mark>&#39;</li>`);
      expect(html).toContain(`${"x".repeat(110)}<mark title="U+241B">&lt;U+241B&gt;</mark>&#39;</li>`);
      expect(shell.windowConfirms[0]?.parent).toBe(shell.window("popover"));
    } finally {
      hook.kill("SIGTERM");
      await ended;
    }
  });

  it("says nothing at launch on a bus where no surface has beaten yet (a fresh install is not an outage)", async () => {
    const { shell } = await launch();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(shell.notifications).toEqual([]);
    expect(shell.tray.tooltip).toMatch(/otto-cli/);
  });

  it("pauses detection from the menu: the paused icon, every surface unknown, no notifications until it resumes", async () => {
    const { bus, shell, app } = await launch();
    app.trayAction("toggle-pause");
    await waitFor(() => shell.tray.image.includes("Paused"), "the paused icon");
    expect(shell.tray.menu.find((i) => i.kind === "action" && i.action === "toggle-pause")).toMatchObject({ checked: true });
    writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: "Bash(npm test)" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(shell.notifications).toHaveLength(0);

    app.trayAction("toggle-pause");
    await waitFor(() => shell.tray.image.includes("Attention"), "the attention icon after resuming");
    await waitFor(() => shell.notifications.some((n) => n.surface === "otto-cli"), "the waiting notification after resuming");
  });

  it("opens the preferences for --open-preferences and on a second launch the popover; applies launch at login", async () => {
    const { shell, app, service } = await launch(["/Applications/Otto Tray.app/Contents/MacOS/Otto Tray", "--open-preferences"]);
    expect(shell.window("preferences")?.visible).toBe(true);
    expect(shell.window("popover")).toBeUndefined();
    app.secondInstance(["Otto Tray"]);
    expect(shell.window("popover")?.visible).toBe(true);

    await waitFor(() => shell.openAtLogin === false, "the login item read from the preferences");
    const prefs = shell.window("preferences")!;
    const reply = await app.ipcCall({ frameUrl: `${shell.rendererIndexUrl}#/preferences`, contentsId: prefs.contentsId }, "prefsSet", { prefs: { launchAtLogin: true } });
    expect(reply).toMatchObject({ ok: true, result: { ok: true } });
    expect(shell.openAtLogin).toBe(true);
    expect((await service.handlers.prefsGet({})).prefs.launchAtLogin).toBe(true);
  });

  it("the popover's Preferences link opens the preferences window and takes the popover back to its list", async () => {
    const { shell, app } = await launch(["--open-popover"]);
    const popover = shell.window("popover")!;
    app.windowRouted(popover, `${shell.rendererIndexUrl}#/`);
    expect(shell.window("preferences")).toBeUndefined();
    app.windowRouted(popover, `${shell.rendererIndexUrl}#/preferences`);
    expect(shell.window("preferences")?.visible).toBe(true);
    expect(popover.wentBack).toBe(1);
    // The preferences window's own route is its business.
    app.windowRouted(shell.window("preferences")!, `${shell.rendererIndexUrl}#/preferences`);
    expect(shell.windows.filter((w) => w.kind === "preferences")).toHaveLength(1);
  });

  /** An app whose preferences file sets the notification interval; `changePrompts` beats six prompts in turn. */
  async function launchWithInterval(minIntervalSeconds: number) {
    const { bus, home } = makeBus();
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ notifications: { minIntervalSeconds } }));
    const service = new AppService({ home, busDir: bus, env: {} });
    await service.start();
    const shell = new FakeShell();
    const app = new TrayApp(shell, service, { rescuedPollMs: 3_600_000 });
    running.push({ app, service });
    app.start([]);
    const cli = () => shell.notifications.filter((n) => n.surface === "otto-cli");
    const changePrompts = async () => {
      writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: "Bash(step 0)" });
      await waitFor(() => cli().length === 1, "the first notification");
      for (let i = 1; i <= 5; i++) {
        writeHeartbeat(bus, "otto-cli", { status: "alive", waiting: `Bash(step ${i})` });
        await waitFor(() => service.snapshot().detector.surfaces.some((s) => s.waiting === `Bash(step ${i})`), `prompt ${i} seen`);
      }
    };
    return { cli, changePrompts };
  }

  it("a waiting surface whose prompt changes at each beat notifies once within the interval (the preference)", async () => {
    const { cli, changePrompts } = await launchWithInterval(600);
    await changePrompts();
    // Each snapshot reaches the app as the detector makes it: what it notified for step 5 is already shown.
    expect(cli().map((n) => n.body)).toEqual(["Bash(step 0)"]);
  });

  it("once the interval has passed, one notification names the prompt standing and counts what was held back", { timeout: 60_000 }, async () => {
    const { cli, changePrompts } = await launchWithInterval(10);
    await changePrompts();
    // With no new beat, once the interval (10 s; the default 60 s would outlast this wait) has passed, a notification
    // names the prompt now standing. However the beats fell in the intervals, every prompt is told or counted.
    await waitFor(() => cli().at(-1)?.body.startsWith("Bash(step 5)"), "the held-back notification", { timeoutMs: 40_000 });
    expect(cli()[0]?.body).toBe("Bash(step 0)");
    const told = cli().reduce((sum, n) => sum + 1 + Number(/\((\d+) more since the last notification\)$/.exec(n.body)?.[1] ?? 0), 0);
    expect(told).toBe(6);
  });

  it("a wake reported by the platform starts the wake grace; Quit quits", async () => {
    const { app, service, shell } = await launch();
    app.resumed();
    expect(service.snapshot().detector.wakeGraceUntil).not.toBeNull();
    app.trayAction("quit");
    expect(shell.quitCalled).toBe(true);
  });
});
