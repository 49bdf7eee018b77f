// The few things the app asks of Electron, as an interface: shell.ts implements it, tests use a fake of it.
import type { ConfirmBox } from "./confirm-choice";
import type { ConfirmWindowPage } from "./confirm-window-page";
import type { AppNotification } from "./notify-policy";
import type { DisplayInfo, Rect } from "./popover-position";
import type { TrayAction, TrayMenuItem } from "./tray-model";

/** Which of the app's two windows (both load the one renderer build; preferences at `#/preferences`). */
export type WindowKind = "popover" | "preferences";

/** The menu-bar icon. */
export interface ShellTray {
  setImage(iconFile: string): void;
  setTitle(title: string): void;
  setToolTip(tooltip: string): void;
  setMenu(items: readonly TrayMenuItem[]): void;
  /** Screen rectangle of the icon (zero-size where the platform does not tell). */
  bounds(): Rect;
}

/** One of the app's windows. */
export interface ShellWindow {
  readonly kind: WindowKind;
  /** The renderer's webContents id: IPC from any other sender is refused. */
  readonly contentsId: number;
  isVisible(): boolean;
  isDestroyed(): boolean;
  show(): void;
  hide(): void;
  setPosition(x: number, y: number): void;
  size(): { width: number; height: number };
  /** Pushes an event to the renderer. */
  send(channel: string, payload: unknown): void;
  /** Returns the page to its previous in-page route (its history's previous entry). */
  goBack(): void;
}

/** Callbacks the shell calls into the app with. */
export interface ShellEvents {
  trayClicked(): void;
  trayAction(action: TrayAction): void;
  windowBlurred(window: ShellWindow): void;
  windowClosed(window: ShellWindow): void;
  /** The page moved to another route of itself (a hash change, e.g. the popover's Preferences link). */
  windowRouted(window: ShellWindow, url: string): void;
  /** An IPC call: the sending frame's URL and contents id (both checked by the app), the call's name and arguments. */
  ipcCall(sender: { frameUrl: string | undefined; contentsId: number }, name: unknown, args: unknown): Promise<unknown>;
  notificationClicked(notification: AppNotification): void;
}

/** Everything the app does through Electron. */
export interface Shell {
  /** Path of the assets directory holding the tray icons. */
  readonly assetsDir: string;
  /** The renderer's index.html URL (file://…): the only page the app's windows load. */
  readonly rendererIndexUrl: string;
  createTray(): ShellTray;
  createWindow(kind: WindowKind): ShellWindow;
  displays(): DisplayInfo[];
  cursor(): { x: number; y: number };
  /** A native confirmation dialog (attached to `parent` when given); resolves true only when the person confirmed. */
  confirm(text: ConfirmBox, parent: ShellWindow | undefined): Promise<boolean>;
  /** The app's own confirmation window showing `page`; resolves true only when the person pressed its confirm button. */
  confirmInWindow(page: ConfirmWindowPage, parent: ShellWindow | undefined): Promise<boolean>;
  notify(notification: AppNotification): void;
  setOpenAtLogin(open: boolean): void;
  quit(): void;
}
