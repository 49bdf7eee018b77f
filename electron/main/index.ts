// Electron main process entry: one instance, no Dock icon, the core's service, the tray app, and the security rules.
import { app, dialog, powerMonitor, session } from "electron";
import { join } from "node:path";
import { AppService } from "../../core/app-service";
import { describeError } from "../../core/errors";
import { isOwnFrame } from "./ipc-guard";
import { createElectronShell } from "./shell";
import { TrayApp } from "./tray-app";
import { hookExecutable } from "./hook-command";
import { ensureStableCli, stableCliPath } from "../../core/app/cli-link";
import { userHome } from "../../core/fs/user-home";

export const APP_ID = "dev.otto.tray";

const layout = {
  rendererDir: join(__dirname, "..", "renderer"),
  preloadFile: join(__dirname, "preload.cjs"),
  assetsDir: join(__dirname, "assets"),
};

/** Every web contents: no new windows, no navigation away from the renderer, no webviews, no permissions. */
function lockDownContents(rendererIndexUrl: string): void {
  app.on("web-contents-created", (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
    contents.on("will-navigate", (event, url) => {
      if (!isOwnFrame(url, rendererIndexUrl)) event.preventDefault();
    });
    contents.on("will-redirect", (event) => event.preventDefault());
    contents.on("will-attach-webview", (event) => event.preventDefault());
  });
}

async function main(): Promise<void> {
  // One app per state directory: an instance pointed at another OTTO_TRAY_HOME (a test, a second bus) keeps its own
  // Chromium profile and its own single-instance lock.
  const home = process.env.OTTO_TRAY_HOME;
  if (home) app.setPath("userData", join(home, "electron"));
  if (!app.requestSingleInstanceLock()) {
    // The running instance receives our argv in `second-instance` and opens what it asks for.
    app.quit();
    return;
  }
  app.setAppUserModelId(APP_ID);
  if (app.isPackaged) process.env.OTTO_TRAY_NATIVE_SCRIPTS ??= join(process.resourcesPath, "native-scripts");
  // A menu-bar app stays running with no window open.
  app.on("window-all-closed", () => undefined);
  await app.whenReady();
  app.dock?.hide();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // Installed hooks run the stable link: point it at this copy of the app at every start (it may have moved).
  const stableLink = stableCliPath(userHome());
  const shippedCli = app.isPackaged ? join(process.resourcesPath, "cli", "bin", "otto-tray") : "";
  const cli = app.isPackaged ? ensureStableCli({ stableLink, target: shippedCli }) : undefined;
  const hookCommand = hookExecutable({
    packaged: app.isPackaged,
    stableLink,
    stableLinkCurrent: cli !== undefined && cli.status !== "refused" && cli.status !== "failed",
    shippedCli,
    // A development run (`npm start`): main is dist/electron/main.cjs in the checkout.
    checkoutBin: join(__dirname, "..", "..", "bin", "otto-tray"),
    pathEnv: process.env.PATH,
  });
  const service = new AppService({ hookCommand });
  service.on("problem", (message) => console.error(`otto-tray: ${message}`));
  try {
    await service.start();
  } catch (error) {
    dialog.showErrorBox("Otto Tray cannot start", describeError(error));
    app.quit();
    return;
  }

  // The shell calls back into the tray app, which needs the shell to exist first: the callbacks look it up late.
  const late: { tray?: TrayApp } = {};
  const shell = createElectronShell(layout, {
    trayClicked: () => late.tray?.trayClicked(),
    trayAction: (action) => late.tray?.trayAction(action),
    windowBlurred: (window) => late.tray?.windowBlurred(window),
    windowClosed: (window) => late.tray?.windowClosed(window),
    windowRouted: (window, url) => late.tray?.windowRouted(window, url),
    ipcCall: async (sender, name, args) => late.tray?.ipcCall(sender, name, args) ?? { ok: false, status: 503, error: "the app is starting" },
    notificationClicked: (notification) => late.tray?.notificationClicked(notification),
  });
  lockDownContents(shell.rendererIndexUrl);
  const tray = new TrayApp(shell, service);
  late.tray = tray;
  // A second launch (`open -a "Otto Tray"`) hands its arguments here; sleep and wake go to the detector.
  app.on("second-instance", (_event, argv) => tray.secondInstance(argv));
  powerMonitor.on("suspend", () => tray.suspended());
  powerMonitor.on("resume", () => tray.resumed());
  app.on("before-quit", () => {
    tray.stop();
    void service.stop();
  });
  tray.start(process.argv);
  if (cli !== undefined) {
    console.error(`otto-tray: ${cli.message}`);
    if (cli.status === "refused" || cli.status === "failed") {
      shell.notify({ key: "stable-cli", title: "Otto Tray: hooks may not find otto-tray", body: `${cli.message}. ${cli.hint}.`, surface: null });
    }
  }
}

main().catch((error: unknown) => {
  console.error(`otto-tray: ${describeError(error)}`);
  app.exit(1);
});
