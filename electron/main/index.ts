// Electron main process entry (skeleton): the app issue adds the tray owner, windows and typed IPC over core/service.
export const APP_ID = "dev.otto.tray";
