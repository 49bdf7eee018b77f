// The one module that calls Electron for the app's behaviour: tray, windows, dialogs, notifications, login item, IPC.
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, nativeImage, screen, type MenuItemConstructorOptions } from "electron";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeConfirmPage } from "./confirm-window-file";
import { CANCEL_HASH, CONFIRM_HASH } from "./confirm-window-page";
import { IPC } from "./ipc-guard";
import type { Shell, ShellEvents, ShellTray, ShellWindow, WindowKind } from "./shell-types";
import type { TrayMenuItem } from "./tray-model";

/** Where the built app's parts are (inside the asar when packaged). */
export interface ShellLayout {
  rendererDir: string;
  preloadFile: string;
  assetsDir: string;
}

const WINDOW_SIZE: Record<WindowKind, { width: number; height: number }> = {
  popover: { width: 400, height: 640 },
  preferences: { width: 560, height: 760 },
};

function menuTemplate(items: readonly TrayMenuItem[], events: ShellEvents): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === "separator") return { type: "separator" };
    if (item.kind === "state") return { label: item.label, enabled: false };
    const checkbox = item.checked !== undefined;
    return {
      label: item.label,
      ...(item.accelerator === undefined ? {} : { accelerator: item.accelerator }),
      ...(checkbox ? { type: "checkbox" as const, checked: item.checked } : {}),
      click: () => events.trayAction(item.action),
    };
  });
}

/** Electron behind the Shell interface; `events` receives what happens on screen. */
export function createElectronShell(layout: ShellLayout, events: ShellEvents): Shell {
  const rendererIndex = join(layout.rendererDir, "index.html");
  let menu: Menu | undefined;

  ipcMain.handle(IPC.call, (event, name: unknown, args: unknown) =>
    events.ipcCall({ frameUrl: event.senderFrame?.url, contentsId: event.sender.id }, name, args),
  );

  const wrap = (kind: WindowKind, window: BrowserWindow): ShellWindow => {
    const contentsId = window.webContents.id;
    const wrapped: ShellWindow = {
      kind,
      contentsId,
      isVisible: () => !window.isDestroyed() && window.isVisible(),
      isDestroyed: () => window.isDestroyed(),
      show: () => {
        if (window.isDestroyed()) return;
        window.show();
        window.focus();
      },
      hide: () => {
        if (!window.isDestroyed()) window.hide();
      },
      setPosition: (x, y) => window.setPosition(x, y, false),
      size: () => {
        const [width = WINDOW_SIZE[kind].width, height = WINDOW_SIZE[kind].height] = window.getSize();
        return { width, height };
      },
      goBack: () => {
        if (!window.isDestroyed() && window.webContents.navigationHistory.canGoBack()) window.webContents.navigationHistory.goBack();
      },
      send: (channel, payload) => {
        if (!window.isDestroyed() && !window.webContents.isLoading()) window.webContents.send(channel, payload);
        else if (!window.isDestroyed()) window.webContents.once("did-finish-load", () => window.webContents.send(channel, payload));
      },
    };
    window.on("blur", () => events.windowBlurred(wrapped));
    window.webContents.on("did-navigate-in-page", (_event, url, isMainFrame) => {
      if (isMainFrame) events.windowRouted(wrapped, url);
    });
    window.on("closed", () => events.windowClosed(wrapped));
    return wrapped;
  };

  return {
    assetsDir: layout.assetsDir,
    rendererIndexUrl: pathToFileURL(rendererIndex).href,

    createTray(): ShellTray {
      const tray = new Tray(nativeImage.createEmpty());
      tray.on("click", () => events.trayClicked());
      tray.on("right-click", () => {
        if (menu) tray.popUpContextMenu(menu);
      });
      return {
        setImage: (file) => tray.setImage(nativeImage.createFromPath(file)),
        setTitle: (title) => tray.setTitle(title),
        setToolTip: (tooltip) => tray.setToolTip(tooltip),
        setMenu: (items) => {
          menu = Menu.buildFromTemplate(menuTemplate(items, events));
          // Linux trays have no right-click event: the menu is the tray's own there.
          if (process.platform === "linux") tray.setContextMenu(menu);
        },
        bounds: () => tray.getBounds(),
      };
    },

    createWindow(kind: WindowKind): ShellWindow {
      const popover = kind === "popover";
      const window = new BrowserWindow({
        ...WINDOW_SIZE[kind],
        show: false,
        title: popover ? "Otto Tray" : "Otto Tray Preferences",
        frame: !popover,
        resizable: !popover,
        movable: !popover,
        minimizable: !popover,
        maximizable: false,
        fullscreenable: false,
        skipTaskbar: popover,
        alwaysOnTop: popover,
        webPreferences: {
          preload: layout.preloadFile,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webviewTag: false,
          spellcheck: false,
          devTools: !app.isPackaged,
        },
      });
      if (popover) window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      void window.loadFile(rendererIndex, popover ? {} : { hash: "/preferences" });
      return wrap(kind, window);
    },

    displays: () => screen.getAllDisplays().map((d) => ({ bounds: d.bounds, workArea: d.workArea })),
    cursor: () => screen.getCursorScreenPoint(),

    async confirm(text, parent) {
      const owner = parent === undefined ? undefined : BrowserWindow.getAllWindows().find((w) => w.webContents.id === parent.contentsId);
      const options = {
        type: "warning" as const,
        title: text.title,
        message: text.message,
        detail: text.detail,
        buttons: [text.cancelLabel, text.confirmLabel],
        // Cancel is the default: Return alone never acts.
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
      return response === 1;
    },

    confirmInWindow(page, parent) {
      // No script runs in it: the answer is the in-page navigation its links make (#confirm, #cancel) or a close.
      const window = new BrowserWindow({
        width: page.width,
        height: page.height,
        title: page.title,
        show: false,
        center: true,
        alwaysOnTop: parent?.kind === "popover",
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, spellcheck: false, devTools: false },
      });
      window.webContents.setWindowOpenHandler(() => ({ action: "deny" }));
      window.webContents.on("will-navigate", (event) => event.preventDefault());
      return new Promise<boolean>((resolve) => {
        let answered = false;
        const answer = (yes: boolean) => {
          if (answered) return;
          answered = true;
          resolve(yes);
          if (!window.isDestroyed()) window.close();
        };
        window.webContents.on("did-navigate-in-page", (_event, url) => {
          const hash = new URL(url).hash;
          if (hash === CONFIRM_HASH || hash === CANCEL_HASH) answer(hash === CONFIRM_HASH);
        });
        const file = writeConfirmPage(page.html);
        window.on("closed", () => {
          file.dispose();
          answer(false);
        });
        window.once("ready-to-show", () => window.show());
        window.loadURL(file.url).catch(() => answer(false));
      });
    },

    notify(notification) {
      if (!Notification.isSupported()) return;
      const shown = new Notification({ title: notification.title, body: notification.body, silent: false });
      shown.on("click", () => events.notificationClicked(notification));
      shown.show();
    },

    setOpenAtLogin(open) {
      // Only a packaged app can be a login item; a development run must not register the Electron binary.
      if (app.isPackaged && (process.platform === "darwin" || process.platform === "win32")) app.setLoginItemSettings({ openAtLogin: open });
    },

    quit: () => app.quit(),
  };
}
