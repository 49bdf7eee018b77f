// The menu-bar app's behaviour, free of Electron: tray, popover, preferences, native confirmations, notifications, IPC.
import { join } from "node:path";
import type { ApiResult, AppSnapshot } from "../../core/api";
import type { AppService } from "../../core/app-service";
import { describeError } from "../../core/errors";
import { autoOnConfirm, type ConfirmText, hooksInstallConfirm, switchOnConfirm, unstickConfirm } from "../../core/text/confirm-text";
import type { IpcReply } from "../ipc-channels";
import { confirmChoice } from "./confirm-choice";
import { IPC, isOwnFrame, parseCall } from "./ipc-guard";
import { launchRequests, type LaunchRequests } from "./launch-args";
import { type AppNotification, DEFAULT_MIN_INTERVAL_SECONDS, NotificationPolicy, type RescuedBranch } from "./notify-policy";
import { popoverPosition } from "./popover-position";
import { PlanMemory } from "./plan-memory";
import type { Shell, ShellEvents, ShellTray, ShellWindow, WindowKind } from "./shell-types";
import { trayIconFile, trayView, type TrayAction } from "./tray-model";


export interface TrayAppOptions {
  /** How often the pool's rescued work is listed for notifications (it runs git in the repository). */
  rescuedPollMs?: number;
}

/** Calls that act on a person's behalf: in the app each one asks first in a native dialog. */
type Plan = Extract<ApiResult<"unstickPlan">, { ok: true }>["plan"];

/** Owns the tray and the windows; the one place where snapshots become icons, menus, notifications and pushes. */
export class TrayApp implements ShellEvents {
  private tray: ShellTray | undefined;
  private readonly windows = new Map<WindowKind, ShellWindow>();
  private readonly policy = new NotificationPolicy();
  private readonly plans = new PlanMemory<Plan>(32);
  private rescued: RescuedBranch[] | undefined;
  private rescuedTimer: NodeJS.Timeout | undefined;
  private trayTimer: NodeJS.Timeout | undefined;
  /** Asks the policy again when a notification it held back for the interval becomes due. */
  private heldTimer: NodeJS.Timeout | undefined;
  /** Native dialogs open now: the popover must not hide on the blur a dialog causes. */
  private dialogsOpen = 0;
  private last: AppSnapshot | undefined;
  private readonly onSnapshot = (snapshot: AppSnapshot) => this.show(snapshot);

  constructor(
    private readonly shell: Shell,
    private readonly service: AppService,
    private readonly options: TrayAppOptions = {},
  ) {}

  /** Puts the icon in the menu bar, follows the service, and opens what the launch arguments ask for. */
  start(argv: readonly string[]): void {
    this.tray = this.shell.createTray();
    this.service.on("snapshot", this.onSnapshot);
    this.show(this.service.snapshot());
    this.applyPrefs();
    void this.pollRescued();
    const every = this.options.rescuedPollMs ?? 5 * 60_000;
    this.rescuedTimer = setInterval(() => void this.pollRescued(), every);
    this.rescuedTimer.unref();
    this.trayTimer = setInterval(() => this.renderTray(), 30_000);
    this.trayTimer.unref();
    this.open(launchRequests(argv));
  }

  stop(): void {
    this.service.off("snapshot", this.onSnapshot);
    if (this.rescuedTimer) clearInterval(this.rescuedTimer);
    if (this.trayTimer) clearInterval(this.trayTimer);
    if (this.heldTimer) clearTimeout(this.heldTimer);
  }

  /** A snapshot arrived: icon, title, tooltip and menu; notifications for new events; a push to open windows. */
  private show(snapshot: AppSnapshot): void {
    this.last = snapshot;
    const paused = snapshot.pausedSince !== null;
    this.renderTray();
    if (!paused) this.notifyFrom(snapshot);
    for (const window of this.windows.values()) if (!window.isDestroyed()) window.send(IPC.snapshot, snapshot);
  }

  /** Icon, title, tooltip and menu from the last snapshot (also on a timer: the ages in the tooltip move on). */
  private renderTray(): void {
    const tray = this.tray;
    const snapshot = this.last;
    if (tray === undefined || snapshot === undefined) return;
    const view = trayView(snapshot, snapshot.pausedSince !== null, Date.now());
    tray.setImage(join(this.shell.assetsDir, trayIconFile(view.icon)));
    tray.setTitle(view.title);
    tray.setToolTip(view.tooltip);
    tray.setMenu(view.menu);
  }

  /** Shows what the policy says for `snapshot` now, and asks again when a notification it held back is due. */
  private notifyFrom(snapshot: AppSnapshot): void {
    for (const notification of this.policy.next(snapshot, this.rescued, { now: Date.now() })) this.shell.notify(notification);
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    const due = this.policy.dueAt();
    if (due === undefined) return;
    this.heldTimer = setTimeout(() => {
      this.heldTimer = undefined;
      if (this.last && this.last.pausedSince === null) this.notifyFrom(this.last);
    }, Math.max(0, due - Date.now()));
    this.heldTimer.unref();
  }

  /** Rescued work is listed from the pool's refs now and then; the first list is the baseline (see NotificationPolicy). */
  private async pollRescued(): Promise<void> {
    const listed = await this.service.handlers.poolRescued({}).catch(() => undefined);
    if (listed === undefined || listed.problem !== null) return;
    this.rescued = listed.branches;
    if (this.last && this.last.pausedSince === null) this.notifyFrom(this.last);
  }

  /** The preferences the app itself applies: launch at login and the notification interval. */
  private applyPrefs(): void {
    void this.service.handlers.prefsGet({}).then((read) => this.applied(read.prefs));
  }

  private applied(prefs: Record<string, unknown>): void {
    this.shell.setOpenAtLogin(prefs.launchAtLogin === true);
    const interval = (prefs.notifications as { minIntervalSeconds?: unknown } | undefined)?.minIntervalSeconds;
    this.policy.setMinInterval(typeof interval === "number" ? interval : DEFAULT_MIN_INTERVAL_SECONDS);
  }

  private window(kind: WindowKind): ShellWindow {
    const existing = this.windows.get(kind);
    if (existing && !existing.isDestroyed()) return existing;
    const created = this.shell.createWindow(kind);
    this.windows.set(kind, created);
    created.send(IPC.snapshot, this.last);
    return created;
  }

  /** Shows the popover under the tray icon, on the display that holds it; `surface` is scrolled to and highlighted. */
  showPopover(surface: string | null = null): void {
    const popover = this.window("popover");
    const tray = this.tray?.bounds() ?? { x: 0, y: 0, width: 0, height: 0 };
    const at = popoverPosition(tray, popover.size(), this.shell.displays(), this.shell.cursor());
    popover.setPosition(at.x, at.y);
    popover.show();
    if (surface !== null) popover.send(IPC.focusSurface, surface);
  }

  showPreferences(): void {
    this.window("preferences").show();
  }

  trayClicked(): void {
    const popover = this.windows.get("popover");
    if (popover && !popover.isDestroyed() && popover.isVisible()) popover.hide();
    else this.showPopover();
  }

  trayAction(action: TrayAction): void {
    if (action === "open-popover") this.showPopover();
    else if (action === "preferences") this.showPreferences();
    else if (action === "quit") this.shell.quit();
    else void this.service.setPaused(this.last?.pausedSince == null);
  }

  windowBlurred(window: ShellWindow): void {
    // A menu-bar popover hides when the person clicks elsewhere, but not for the dialog it opened itself.
    if (window.kind === "popover" && this.dialogsOpen === 0) window.hide();
  }

  windowClosed(window: ShellWindow): void {
    if (this.windows.get(window.kind) === window) this.windows.delete(window.kind);
  }

  /**
   * The popover's Preferences link changes its route to #/preferences: in the app the preferences have their own
   * window (a popover is too small and hides on blur), so that window opens and the popover goes back to its list.
   */
  windowRouted(window: ShellWindow, url: string): void {
    if (window.kind !== "popover" || !url.endsWith("#/preferences")) return;
    window.goBack();
    this.showPreferences();
  }

  notificationClicked(notification: AppNotification): void {
    this.showPopover(notification.surface);
  }

  secondInstance(argv: readonly string[]): void {
    this.open(launchRequests(argv, true));
  }

  private open(wants: LaunchRequests): void {
    if (wants.preferences) this.showPreferences();
    if (wants.popover) this.showPopover(wants.surface);
  }

  suspended(): void {
    // Nothing to do: the wake grace starts on resume, when heartbeats are late because the Mac slept.
  }

  resumed(): void {
    this.service.noteWake();
  }

  /** Every call from a renderer: the sender checked, the payload validated, acting calls confirmed natively first. */
  async ipcCall(sender: { frameUrl: string | undefined; contentsId: number }, name: unknown, args: unknown): Promise<IpcReply> {
    const window = [...this.windows.values()].find((w) => !w.isDestroyed() && w.contentsId === sender.contentsId);
    if (window === undefined || !isOwnFrame(sender.frameUrl, this.shell.rendererIndexUrl)) {
      return { ok: false, status: 403, error: "refused: the call did not come from one of Otto Tray's own windows" };
    }
    const parsed = parseCall(name, args);
    if (!parsed.ok) return { ok: false, status: parsed.status, error: parsed.error, ...(parsed.field === undefined ? {} : { field: parsed.field }) };
    try {
      return { ok: true, result: await this.run(parsed.name, parsed.args, window) };
    } catch (error) {
      return { ok: false, status: 500, error: describeError(error) };
    }
  }

  private async run(name: string, args: unknown, window: ShellWindow): Promise<unknown> {
    const handlers = this.service.handlers;
    switch (name) {
      case "actuatorOn":
        if (!(await this.confirm(switchOnConfirm(), window))) return handlers.actuatorStatus({});
        return handlers.actuatorOn({ confirm: true });
      case "autoOn": {
        const { hours } = args as { hours: number };
        if (!(await this.confirm(autoOnConfirm(hours, this.service.snapshot().policy.allowlist), window))) return handlers.actuatorStatus({});
        return handlers.autoOn({ hours, confirm: true });
      }
      case "unstickPlan": {
        const outcome = await handlers.unstickPlan(args as { surface: string });
        if (outcome.ok) this.plans.remember(outcome.plan.planId, outcome.plan);
        return outcome;
      }
      case "unstickConfirm": {
        const { planId } = args as { planId: string };
        const plan = this.plans.take(planId);
        if (plan === undefined) return { ok: false, refusal: "unknown-plan", reason: "this plan was not made in this window (or was already used): make a new plan" };
        if (!(await this.confirm(unstickConfirm(plan), window))) return { ok: false, refusal: "cancelled", reason: "you cancelled: nothing was pressed or typed" };
        return handlers.unstickConfirm({ planId });
      }
      case "hooksInstall": {
        // Installing hooks changes another program's settings: name the file and the command, and ask first.
        const { surface } = args as { surface: string };
        const preview = this.service.hooksInstallPreview(surface);
        if (!preview.ok) return preview;
        if (!(await this.confirm(hooksInstallConfirm(surface, preview.settingsFile, preview.command, preview.agent), window))) {
          return { ok: false, refusal: "cancelled", reason: `you cancelled: ${preview.settingsFile} was not changed` };
        }
        return handlers.hooksInstall({ surface, confirm: true });
      }
      case "prefsSet": {
        const result = await handlers.prefsSet(args as { prefs: Record<string, unknown>; base?: Record<string, unknown> });
        if (result.ok) this.applied(result.prefs);
        return result;
      }
      default: {
        const handler = handlers[name as keyof typeof handlers] as (a: unknown) => Promise<unknown>;
        return handler(args);
      }
    }
  }

  /**
   * A native dialog for one action, or the app's own window when the confirmed text is too long for one (never cut);
   * the popover that asked stays open meanwhile and shows the result after.
   */
  private async confirm(text: ConfirmText, window: ShellWindow): Promise<boolean> {
    this.dialogsOpen += 1;
    try {
      const choice = confirmChoice(text);
      return choice.kind === "box" ? await this.shell.confirm(choice.box, window) : await this.shell.confirmInWindow(choice.page, window);
    } finally {
      this.dialogsOpen -= 1;
      if (window.kind === "popover" && !window.isDestroyed()) window.show();
    }
  }
}
