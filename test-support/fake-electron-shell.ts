// A stand-in for the Shell interface (electron/main/shell-types.ts): records what the app asked Electron to do.
import type { ConfirmBox } from "../electron/main/confirm-choice";
import type { ConfirmWindowPage } from "../electron/main/confirm-window-page";
import type { AppNotification } from "../electron/main/notify-policy";
import type { DisplayInfo, Rect } from "../electron/main/popover-position";
import type { Shell, ShellTray, ShellWindow, WindowKind } from "../electron/main/shell-types";
import type { TrayMenuItem } from "../electron/main/tray-model";

export class FakeWindow implements ShellWindow {
  visible = false;
  destroyed = false;
  position: { x: number; y: number } | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  wentBack = 0;

  constructor(
    readonly kind: WindowKind,
    readonly contentsId: number,
  ) {}

  isVisible = () => this.visible && !this.destroyed;
  isDestroyed = () => this.destroyed;
  show = () => void (this.visible = true);
  hide = () => void (this.visible = false);
  setPosition = (x: number, y: number) => void (this.position = { x, y });
  size = () => ({ width: 400, height: 640 });
  send = (channel: string, payload: unknown) => void this.sent.push({ channel, payload });
  goBack = () => void this.wentBack++;
}

export class FakeTray implements ShellTray {
  image = "";
  title = "";
  tooltip = "";
  menu: readonly TrayMenuItem[] = [];
  rect: Rect = { x: 1400, y: 0, width: 22, height: 24 };
  setImage = (file: string) => void (this.image = file);
  setTitle = (title: string) => void (this.title = title);
  setToolTip = (tooltip: string) => void (this.tooltip = tooltip);
  setMenu = (items: readonly TrayMenuItem[]) => void (this.menu = items);
  bounds = () => this.rect;
}

/** The fake shell; `answer` decides what the person does in the next native dialogs (cancel unless told). */
export class FakeShell implements Shell {
  readonly assetsDir = "/app/assets";
  readonly rendererIndexUrl = "file:///app/dist/renderer/index.html";
  readonly tray = new FakeTray();
  readonly windows: FakeWindow[] = [];
  readonly dialogs: { text: ConfirmBox; parent: ShellWindow | undefined; popoverVisibleDuring: boolean }[] = [];
  /** Confirmations shown in the app's own window (texts too long for a native box). */
  readonly windowConfirms: { page: ConfirmWindowPage; parent: ShellWindow | undefined }[] = [];
  readonly notifications: AppNotification[] = [];
  openAtLogin: boolean | undefined;
  quitCalled = false;
  answer = false;
  private nextId = 100;
  displayList: DisplayInfo[] = [{ bounds: { x: 0, y: 0, width: 1512, height: 982 }, workArea: { x: 0, y: 24, width: 1512, height: 958 } }];

  createTray = () => this.tray;
  createWindow = (kind: WindowKind) => {
    const window = new FakeWindow(kind, this.nextId++);
    this.windows.push(window);
    return window;
  };
  displays = () => this.displayList;
  cursor = () => ({ x: 10, y: 10 });
  confirmInWindow = async (page: ConfirmWindowPage, parent: ShellWindow | undefined) => {
    this.windowConfirms.push({ page, parent });
    return this.answer;
  };
  confirm = async (text: ConfirmBox, parent: ShellWindow | undefined) => {
    const popover = this.window("popover");
    this.dialogs.push({ text, parent, popoverVisibleDuring: popover?.isVisible() ?? false });
    return this.answer;
  };
  notify = (notification: AppNotification) => void this.notifications.push(notification);
  setOpenAtLogin = (open: boolean) => void (this.openAtLogin = open);
  quit = () => void (this.quitCalled = true);

  /** The live window of a kind, if one was made. */
  window(kind: WindowKind): FakeWindow | undefined {
    return this.windows.find((w) => w.kind === kind && !w.destroyed);
  }
}
